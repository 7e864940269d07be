import type { Emitter } from './emitter';
import type { NotifyQueue } from './notify-queue';
import type { Config } from './options';
import type { RefreshTimer } from './refresh-timer';
import type { Grant, SessionStore } from './session-store';
import type { AuthEvents, LogoutReason, Session } from './types';

/** How a session begins, goes on and ends in this tab: the store, the timer, the DPoP key and the events, together. */
export interface Transitions<TUser> {
  /** Holds `grant`: a new session's first token (`login`), or the current one's next (`refresh`). */
  hold_(grant: Grant<TUser>, newSession?: boolean): Session<TUser>;
  /** Ends the session; true when one was live (so `logout` fired). */
  end_(reason: LogoutReason): boolean;
}

export const toSession = <TUser>(grant: Grant<TUser>): Session<TUser> => ({ user: grant.user, expiresAt: grant.expiresAt });

// Each transition arms or clears the timer before app code hears of it, and app code hears of it
// in order: a logout() called from a `login` handler cannot leave a timer armed or fire first.
export function createTransitions<TUser>(
  queue: NotifyQueue,
  store: SessionStore<TUser>,
  events: Emitter<AuthEvents<TUser>>,
  timer: RefreshTimer,
  { dpop_: dpop, log_: log }: Pick<Config<TUser>, 'dpop_' | 'log_'>,
): Transitions<TUser> {
  return {
    hold_: (grant, newSession) =>
      queue.batch_(() => {
        timer.schedule_(grant.refreshAt);
        dpop?.adopt(grant.key); // token and key never disagree, whichever tab brought the token
        store.hold_(grant, newSession);
        if (newSession) events.emit_('login', { user: grant.user });
        else events.emit_('refresh', { expiresAt: grant.expiresAt });
        return toSession(grant);
      }),
    end_: (reason) =>
      queue.batch_(() => {
        timer.schedule_(null);
        const wasLive = store.end_();
        if (wasLive) {
          log('session ended', { reason });
          events.emit_('logout', { reason });
        }
        return wasLive;
      }),
  };
}
