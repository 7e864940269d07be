import type { CrossTab } from './cross-tab';
import type { AuthError, AuthErrorCode } from './errors';
import type { Config } from './options';
import type { Refresher } from './refresh';
import { requestSignInGrant, revokeAtServer, type GrantCall } from './server-calls';
import type { SessionLock } from './session-lock';
import type { SessionStore } from './session-store';
import type { Transitions } from './session-transitions';
import type { LogoutReason, Session } from './types';

/** The refusals of a sign-in (a wrong code, an expired challenge, …) that say its tab is signed out. */
const SIGNED_OUT_BY: readonly AuthErrorCode[] = ['invalid_credentials', 'unauthorized'];

/** Signing in and out, and the race between them: a login that lands after a logout it did not see must not live on. */
export interface SignInOut<TUser> {
  /** Signs in with `login`, `register` or `mfa`; `null` for a sign-up that starts no session yet. */
  signIn_(name: Exclude<GrantCall, 'refresh'>, sent: Record<string, unknown>): Promise<Session<TUser> | null>;
  /** Ends the session for `reason`, here and in the other tabs, then tells the server. Never rejects. */
  leave_(reason: Exclude<LogoutReason, 'remote'>, everywhere?: boolean): Promise<void>;
  /** The user signed out in another tab. */
  noteLogout_(): void;
}

export function createSignInOut<TUser>(
  config: Config<TUser>,
  lock: SessionLock,
  store: SessionStore<TUser>,
  session: Transitions<TUser>,
  tabs: CrossTab<TUser> | null,
  refresher: Refresher<TUser>,
  reportError: (error: AuthError) => void,
): SignInOut<TUser> {
  /** Logouts asked for so far, here or in another tab. */
  let logouts = 0;

  /** Ends the session here and in the other tabs. */
  const signOut = (reason: Exclude<LogoutReason, 'remote'>) => {
    session.end_(reason);
    tabs?.post_({ v: 1, type: 'logout', reason });
  };

  return {
    signIn_(name, sent) {
      tabs?.listen_();
      const logoutsBefore = logouts;
      return lock
        .run_(async () => {
          const grant = await requestSignInGrant(config, name, sent);
          if (!grant) return null;
          // A refresh queued behind this login has heard it when its task starts (the lock catches up
          // first), so it does not run in this session unawares.
          tabs?.post_({ v: 1, type: 'login', grant });
          const signedIn = session.hold_(grant, true);
          if (logouts !== logoutsBefore && store.grant_() === grant) {
            // logout() was called while this login was on its way: end what it brought, and revoke it
            // now, while its cookie is still the browser's (a later login would replace it).
            signOut('user');
            await revokeAtServer(config, reportError, grant);
          }
          return signedIn;
        })
        .catch((error: AuthError) => {
          // Refused: nobody is signed in by this call. A page that never restored learns it here; a
          // session already known (or a restore on its way) is left alone.
          if (SIGNED_OUT_BY.includes(error.code) && store.getState_().status === 'unknown' && !refresher.inFlight_()) {
            session.end_('user');
          }
          throw error;
        });
    },
    async leave_(reason, everywhere) {
      const grant = store.grant_();
      logouts++;
      signOut(reason);
      // After the login or refresh in flight, so the cookie it sends is the newest one.
      await lock
        .run_(async () => {
          await revokeAtServer(config, reportError, grant, everywhere);
          // Any session this tab holds now landed before our turn (a login this logout could not reach:
          // its tab was closed while it was at the server) and went with the cookie just revoked.
          if (store.grant_()) signOut(reason);
        })
        .catch(() => {});
    },
    noteLogout_: () => logouts++,
  };
}
