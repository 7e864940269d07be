// The demo's idle timeout: off unless the page was opened with `?idle=<seconds>`, and the warning's
// deadline as a tiny store that the React and Vue banners read.
import type { AuthClient, AuthClientOptions } from 'tokenkeeper';

/** `?idle=<seconds>` as the client's options; the warning comes halfway there, at most a minute before. */
export function idleOptions(search: string): Pick<AuthClientOptions, 'idleTimeout' | 'idleWarning'> {
  const seconds = Number(new URLSearchParams(search).get('idle'));
  return seconds > 0 ? { idleTimeout: seconds, idleWarning: Math.min(60, seconds / 2) } : {};
}

let logoutAt: number | null = null;
const listeners = new Set<() => void>();
const set = (at: number | null) => {
  logoutAt = at;
  for (const listener of listeners) listener();
};

export const idleWarning = {
  /** When the idle sign-out happens (epoch ms), from the `idle` event; `null` when none is coming. */
  logoutAt: () => logoutAt,
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  },
  /** Follows the client's events; call once, right after creating it. */
  watch(auth: AuthClient<unknown>) {
    auth.on('idle', (event) => set(event.logoutAt));
    auth.on('active', () => set(null));
    auth.on('logout', () => set(null));
  },
};

/** Whole seconds from `now` to `at`, never below zero. */
export const secondsLeft = (at: number, now: number) => Math.max(0, Math.ceil((at - now) / 1000));
