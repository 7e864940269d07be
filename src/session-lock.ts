/**
 * One cookie-changing call at a time (login, register, refresh, logout): in this tab through a
 * queue, and across tabs under a Web Lock. Otherwise answers land in any order, and the last
 * `Set-Cookie` to land (perhaps the previous session's) is the one a reload restores.
 */
export interface SessionLock {
  /** Runs `task` once every earlier task, in this tab and under the Web Lock, is done. */
  run_<T>(task: () => Promise<T>): Promise<T>;
  /**
   * As above, but when `skip` aborts while the task waits for the Web Lock, the task is given up and
   * `run_` resolves `undefined`. (In this tab's own queue, without Web Locks, the task runs in its turn.)
   */
  run_<T>(task: () => Promise<T>, skip: AbortSignal): Promise<T | undefined>;
  /** Gives up every task not yet started (they reject); a task already running finishes. */
  close_(): void;
}

/**
 * @param webLockName - the Web Lock shared by the tabs, or `null` to serialise within this tab only.
 * @param escapeMs - how long to wait for the Web Lock before going ahead anyway. A live holder's
 *   task ends within its calls' timeouts; one that holds longer is frozen, and a refresh too many
 *   beats none.
 * @param closedError - what tasks given up by `close_()` reject with.
 * @param onEscape - told when a task goes ahead without the Web Lock.
 * @param catchUp - resolves once this tab has heard what the other tabs said before it asked. A task
 *   given the Web Lock waits for it: the lock can come before the news of the task before it (a
 *   login, a refresh) has reached this tab.
 */
export function createSessionLock(
  webLockName: (() => string) | null,
  escapeMs: number,
  closedError: () => Error,
  onEscape: () => void,
  catchUp: () => Promise<void> | undefined,
): SessionLock {
  let last: Promise<unknown> = Promise.resolve();
  const closing = new AbortController();
  const closed = closing.signal;

  const withWebLock = <T>(locks: LockManager, task: () => Promise<T>, skip?: AbortSignal) =>
    new Promise<T | undefined>((resolve, reject) => {
      const waiting = new AbortController();
      const stopWaiting = () => waiting.abort();
      const timer = setTimeout(stopWaiting, escapeMs);
      closed.addEventListener('abort', stopWaiting);
      // Never removed: `skip` is this task's own, and aborting a request already granted does nothing.
      skip?.addEventListener('abort', stopWaiting);
      const done = () => {
        clearTimeout(timer);
        closed.removeEventListener('abort', stopWaiting);
      };
      locks
        .request(webLockName!(), { signal: waiting.signal }, async () => {
          done();
          await catchUp();
          return task().then(resolve, reject);
        })
        // Only a request never granted gets here: once granted, it settles as the callback's
        // `.then()` above, which never rejects.
        .catch(() => {
          done();
          if (closed.aborted) return reject(closedError());
          if (skip?.aborted) return resolve(undefined);
          onEscape();
          task().then(resolve, reject);
        });
    });

  return {
    run_<T>(task: () => Promise<T>, skip?: AbortSignal): Promise<T> {
      // The Web Lock alone orders this tab's calls too, in the order they were asked for. Queueing
      // here first would let another tab's later login slip in before this tab's earlier logout.
      // Without Web Locks (older browsers) each tab is on its own; the server's reuse interval covers the overlap.
      const locks = webLockName && globalThis.navigator?.locks;
      if (closed.aborted) return Promise.reject(closedError());
      // Only a caller that passed `skip` is given `undefined` (the overloads above).
      if (locks) return withWebLock(locks, task, skip) as Promise<T>;
      const turn = last.then(() => {
        if (closed.aborted) throw closedError();
        return task();
      });
      last = turn.catch(() => {});
      return turn;
    },
    close_: () => closing.abort(),
  };
}
