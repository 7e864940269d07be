// setTimeout fires at once for delays past 2^31-1 ms (~24.8 days), so longer waits are re-armed.
const MAX_DELAY = 2_147_483_647;
// Browsers throttle or freeze timers in background tabs and during sleep; these say "look again".
const WAKE_EVENTS = ['focus', 'online', 'pageshow', 'visibilitychange'] as const;

export interface RefreshTimer {
  /** Calls `onDue` at `at` (epoch ms), replacing any earlier schedule; `null` cancels. */
  schedule_(at: number | null): void;
  /** Cancels for good: a refresh that lands after `dispose()` must not re-arm it. */
  dispose_(): void;
}

/**
 * The one proactive refresh timer, plus wake-up listeners that fire a refresh at once when the
 * page comes back after its due time. A hidden tab waits for `visibilitychange`: the visible one
 * refreshes and shares the token. The timer is `unref()`'d where the runtime has it, so it never
 * keeps Node alive; listeners exist only while a refresh is scheduled.
 */
export function createRefreshTimer(onDue: () => void): RefreshTimer {
  let handle: ReturnType<typeof setTimeout> | undefined;
  let dueAt: number | null = null;
  let disposed = false;

  // Due stays set until the client schedules the next token: if this refresh fails (offline),
  // the next wake-up (`online`, `focus`…) tries again, with no timer to spin in a loop.
  const check = () => {
    if (dueAt !== null && Date.now() >= dueAt && globalThis.document?.visibilityState !== 'hidden') onDue();
  };
  const listen = (method: 'addEventListener' | 'removeEventListener') => {
    // On window in the capture phase: `visibilitychange`, fired at document, passes through it too.
    for (const type of WAKE_EVENTS) globalThis.window?.[method](type, check, true);
  };
  const arm = () => {
    if (dueAt === null) return;
    handle = setTimeout(
      () => (Date.now() >= (dueAt ?? Infinity) ? check() : arm()),
      Math.min(dueAt - Date.now(), MAX_DELAY), // a past time fires at once, as 0 would
    );
    (handle as { unref?: () => void }).unref?.();
  };
  const schedule = (at: number | null) => {
    clearTimeout(handle);
    if (disposed) at = null;
    if ((dueAt === null) !== (at === null)) listen(at === null ? 'removeEventListener' : 'addEventListener');
    dueAt = at;
    arm();
  };

  return {
    schedule_: schedule,
    dispose_() {
      schedule(null);
      disposed = true;
    },
  };
}
