// setTimeout fires at once for delays past 2^31-1 ms (~24.8 days), so longer waits are re-armed.
const MAX_DELAY = 2_147_483_647;

export interface RefreshTimer {
  /** Calls `onDue` at `at` (epoch ms), replacing any earlier schedule; `null` cancels. */
  schedule(at: number | null): void;
  cancel(): void;
  /** Cancels for good: a refresh that lands after `dispose()` must not re-arm it. */
  dispose(): void;
}

/** The one proactive refresh timer. `unref()`'d where the runtime has it, so it never keeps Node alive. */
export function createRefreshTimer(onDue: () => void): RefreshTimer {
  let handle: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  const cancel = () => {
    if (handle !== undefined) clearTimeout(handle);
    handle = undefined;
  };
  const schedule = (at: number | null) => {
    cancel();
    if (at === null || disposed) return;
    const delay = at - Date.now();
    handle = setTimeout(() => {
      handle = undefined;
      if (Date.now() >= at) onDue();
      else schedule(at);
    }, Math.max(0, Math.min(delay, MAX_DELAY)));
    const unref = (handle as { unref?: () => void }).unref;
    if (typeof unref === 'function') unref.call(handle);
  };
  return {
    schedule,
    cancel,
    dispose() {
      disposed = true;
      cancel();
    },
  };
}
