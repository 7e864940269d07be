import { callSafely } from './call-safely';

/**
 * Delivers state changes and events to app code one at a time, in the order they happened. App
 * code that causes another change while being told of one (a `logout()` in a `login` handler) has
 * that change delivered after the current one, so `login` always reaches every handler before
 * `logout` does.
 */
export interface NotifyQueue {
  /** Runs `change`, holding back what it notifies until it (and any outer batch) is done. */
  batch_<T>(change: () => T): T;
  /** Calls `listener(value)` now, or after the batch or notification in progress. */
  notify_<T>(listener: (value: T) => void, value: T): void;
}

export function createNotifyQueue(): NotifyQueue {
  const pending: Array<() => void> = [];
  let holds = 0;
  const flush = () => {
    if (holds) return;
    holds++;
    // The queue may grow while we deliver: that is the point.
    for (let next = pending.shift(); next; next = pending.shift()) next();
    holds--;
  };
  return {
    batch_(change) {
      holds++;
      try {
        return change();
      } finally {
        holds--;
        flush();
      }
    },
    notify_(listener, value) {
      pending.push(() => callSafely(listener, value));
      flush();
    },
  };
}
