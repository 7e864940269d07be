// What counts as someone at the keyboard. Heard on window in the capture phase, which every page
// event passes through first, `visibilitychange` on document included, whatever stops it later.
const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'visibilitychange'];
/** Other tabs hear of this tab's activity at most this often: never one message per mouse move. */
const SHARE_EVERY_MS = 5_000;

export interface IdleTimeout {
  /** Starts counting (a session began); a no-op while counting. */
  start(): void;
  /** Stops counting and removes every listener. */
  stop(): void;
  /** Activity another tab saw at `at` (epoch ms). */
  seen(at: number): void;
}

export interface IdleHandlers {
  /** `warningMs` before the timeout. */
  warn(logoutAt: number): void;
  /** Activity after `warn`: the timeout is off. */
  active(): void;
  /** Nobody did anything for `timeoutMs`, in any tab. */
  idle(): void;
  /** Tell the other tabs of activity at `at`. */
  share(at: number): void;
}

/**
 * Counts time without activity, in this tab and (through `seen`) in the others. One timer, re-armed
 * only when it fires: activity just moves the timestamp it checks. Listeners exist only while counting.
 */
export function createIdleTimeout(timeoutMs: number, warningMs: number, on: IdleHandlers): IdleTimeout {
  let last = 0;
  let sharedAt = 0;
  let warned = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const check = () => {
    const now = Date.now();
    const logoutAt = last + timeoutMs;
    clearTimeout(timer);
    if (now >= logoutAt) return on.idle();
    if (!warned && now >= logoutAt - warningMs) on.warn(logoutAt), (warned = true);
    timer = setTimeout(check, (warned ? logoutAt : logoutAt - warningMs) - now);
  };
  const seen = (at: number) => {
    if (timer === undefined || at <= last) return;
    last = at;
    if (warned) {
      warned = false;
      on.active();
      check();
    }
  };
  const local = () => {
    if (globalThis.document?.visibilityState === 'hidden') return; // going hidden is no activity
    const now = Date.now();
    seen(now);
    if (now - sharedAt >= SHARE_EVERY_MS) on.share((sharedAt = now));
  };
  const listen = (method: 'addEventListener' | 'removeEventListener') => {
    for (const type of ACTIVITY) globalThis.window?.[method](type, local, true);
  };

  return {
    start() {
      if (timer !== undefined) return;
      last = Date.now();
      listen('addEventListener');
      timer = setTimeout(check); // not now: the session that starts us is still being announced
    },
    stop() {
      if (timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      warned = false;
      listen('removeEventListener');
    },
    seen,
  };
}
