// The demo's idle timeout: off unless the page was opened with `?idle=<seconds>`, and the warning's
// deadline as a tiny store that the React and Vue banners read.
import type { AuthClient } from 'tokenkeeper';
import { createIdleTimeout, type IdleTimeout, type IdleTimeoutOptions } from 'tokenkeeper/idle';

/** `?idle=<seconds>` as the idle timeout's options: the warning halfway there, at most a minute before. */
export function idleOptions(search: string): IdleTimeoutOptions | null {
  const seconds = Number(new URLSearchParams(search).get('idle'));
  return seconds > 0 && Number.isFinite(seconds) ? { timeout: seconds, warning: Math.min(60, seconds / 2) } : null;
}

let logoutAt: number | null = null;
const listeners = new Set<() => void>();
const set = (at: number | null) => {
  logoutAt = at;
  for (const listener of listeners) listener();
};

export const idleWarning = {
  /** When the idle sign-out happens (epoch ms), from the `warning` event; `null` when none is coming. */
  logoutAt: () => logoutAt,
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  },
  /**
   * Starts the idle timeout when `search` has `?idle=<seconds>` and follows its events; call once,
   * right after creating the client. The page lives as long as the client, so it is never stopped.
   */
  start(auth: AuthClient<unknown>, search: string): IdleTimeout | null {
    const options = idleOptions(search);
    if (!options) return null;
    const idle = createIdleTimeout(auth, options);
    idle.on('warning', (event) => set(event.logoutAt));
    idle.on('active', () => set(null));
    auth.on('logout', () => set(null));
    return idle;
  },
};

/** Whole seconds from `now` to `at`, never below zero. */
export const secondsLeft = (at: number, now: number) => Math.max(0, Math.ceil((at - now) / 1000));
