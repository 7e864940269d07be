/** How long the lock outlives a refresh: queued tabs get the shared token before they get the lock. */
const LINGER_MS = 50;

/**
 * Runs `task` under the Web Lock `name`, so one tab at a time refreshes, and resolves as soon as
 * the task is done. The lock itself is held `LINGER_MS` longer: a message and a lock grant travel
 * separately between tabs, and the next tab should see the token this one broadcast before it
 * decides whether to refresh. If the lock is not granted within `timeoutMs` (a tab frozen while
 * holding it), the task runs anyway: a refresh too many beats none. Without Web Locks the task
 * simply runs (single-flight within the tab only).
 */
export function withRefreshLock<T>(name: string, task: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const locks = globalThis.navigator?.locks;
  if (!locks) return task();
  return new Promise<T>((resolve, reject) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let granted = false;
    locks
      .request(name, { signal: controller.signal }, async () => {
        granted = true;
        clearTimeout(timer);
        const done = task();
        done.then(resolve, reject);
        await done.catch(() => {});
        await new Promise((linger) => setTimeout(linger, LINGER_MS));
      })
      .catch(() => {
        clearTimeout(timer);
        // Timed out or refused before the grant: run unlocked. After the grant, the task has settled.
        if (!granted) task().then(resolve, reject);
      });
  });
}
