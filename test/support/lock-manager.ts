import { afterEach, beforeEach } from 'vitest';

/**
 * An in-memory Web Locks manager (exclusive locks, FIFO per name, `signal` to give up waiting):
 * happy-dom has none, and the tabs a test simulates must share one, as a browser's do.
 */
export function createLockManager() {
  const queues = new Map<string, Array<() => void>>();
  let granted = 0;

  async function request<T>(
    name: string,
    options: { signal?: AbortSignal },
    callback: (lock: { name: string; mode: 'exclusive' }) => Promise<T> | T,
  ): Promise<T> {
    const queue = queues.get(name) ?? [];
    queues.set(name, queue);
    const held = queue.length > 0;
    await new Promise<void>((resolve, reject) => {
      const grant = () => resolve();
      queue.push(grant);
      if (!held) return resolve();
      options.signal?.addEventListener('abort', () => {
        const index = queue.indexOf(grant);
        if (index > 0) {
          queue.splice(index, 1);
          reject(options.signal?.reason ?? new DOMException('aborted', 'AbortError'));
        }
      });
    });
    granted++;
    try {
      return await callback({ name, mode: 'exclusive' });
    } finally {
      queue.shift();
      queue[0]?.();
    }
  }

  return {
    request,
    query: async () => ({ held: [], pending: [] }),
    get granted() {
      return granted;
    },
    /** Whether any lock is held or waited for: a test waits for calm by this, not by a fixed time. */
    get busy() {
      return [...queues.values()].some((queue) => queue.length > 0);
    },
  };
}

/** Installs `manager` as `navigator.locks` until the returned function is called. */
export function installLockManager(manager: ReturnType<typeof createLockManager>) {
  Object.defineProperty(navigator, 'locks', { value: manager, configurable: true });
  return () => void delete (navigator as { locks?: unknown }).locks;
}

/**
 * A fresh {@link createLockManager} as `navigator.locks` for each test of the file, removed after it:
 * `current()` is this test's, `uninstall()` takes it away early (a browser without Web Locks).
 */
export function useLockManager() {
  let manager = createLockManager();
  let uninstall = () => {};
  beforeEach(() => {
    manager = createLockManager();
    uninstall = installLockManager(manager);
  });
  afterEach(() => uninstall());
  return { current: () => manager, uninstall: () => uninstall() };
}
