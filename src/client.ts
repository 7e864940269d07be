import { createAccessTokens } from './access-token';
import { createAuthFetch } from './auth-fetch';
import { createCrossTab } from './cross-tab';
import { AuthError } from './errors';
import { createEmitter } from './emitter';
import { createNotifyQueue } from './notify-queue';
import { resolveConfig } from './options';
import { createRefreshTimer } from './refresh-timer';
import { createRefresher } from './refresh';
import { createRefreshTurn } from './refresh-turn';
import { createSessionLock } from './session-lock';
import { createSessionStore, isOtherAccount } from './session-store';
import { createTransitions, toSession } from './session-transitions';
import { createSignInOut } from './sign-in';
import { createTabReceiver } from './tab-messages';
import type { AuthClient, AuthClientOptions, AuthEvents, AuthUser, Session } from './types';

/**
 * Creates the token client. Touches no browser global until it is used, so it is safe to create
 * during server-side rendering.
 *
 * @example
 * const auth = createAuthClient({ baseUrl: 'https://api.example.com' });
 * await auth.restore();
 * const res = await auth.authFetch('https://api.example.com/me');
 */
export function createAuthClient<TUser = AuthUser>(options: AuthClientOptions<TUser>): AuthClient<TUser> {
  const config = resolveConfig(options);
  const { log_: log, crossTab_: crossTab, sessionKey_: sessionKey } = config;
  const queue = createNotifyQueue();
  const store = createSessionStore<TUser>(queue);
  const events = createEmitter<AuthEvents<TUser>>(queue);
  let disposed = false;
  const reportError = (error: AuthError) => events.emit_('error', { error });
  // A holder's task is one or two auth calls, each over within `timeout`: holding longer means frozen.
  const lock = createSessionLock(
    crossTab ? () => `tokenkeeper:refresh:${sessionKey()}` : null,
    2 * config.timeoutMs_ + 1000,
    () => new AuthError('unauthorized', 'Client disposed'),
    () => log('lock timeout'),
    () => tabs?.caughtUp_(),
  );
  const timer = createRefreshTimer(() => {
    log('timer: refreshing');
    void refresher.refresh_();
  });
  const session = createTransitions(queue, store, events, timer, config);
  // Messages arrive only once a sign-in or refresh listens, when every part below exists.
  const tabs = crossTab
    ? createCrossTab<TUser>(
        () => `tokenkeeper:${sessionKey()}`,
        createTabReceiver(store, session, log, () => signInOut.noteLogout_()),
        reportError,
      )
    : null;

  const refresher = createRefresher<TUser>({
    store_: store,
    fetchGrant_: createRefreshTurn(config, lock, store, tabs),
    onRenewed_(grant) {
      if (disposed) return;
      // A window that does not share our channel signed in as someone else, and the shared cookie
      // followed: that is a new session, and requests of the old one must not be replayed in it.
      session.hold_(grant, isOtherAccount(store.grant_()?.subject, grant.subject));
    },
    onRejected_() {
      // Only a live session's refusal speaks for the shared cookie: a page-load restore that found no
      // cookie may simply have raced another tab's login.
      if (!disposed && session.end_('refresh_failed')) tabs?.post_({ v: 1, type: 'logout', reason: 'refresh_failed' });
    },
    onFailed_(error) {
      log('refresh failed', { code: error.code });
      reportError(error);
    },
  });
  const signInOut = createSignInOut(config, lock, store, session, tabs, refresher, reportError);
  const { signIn_: signIn, leave_: leave } = signInOut;
  const tokens = createAccessTokens(store, refresher, log);

  /** Refreshes now (joining a refresh in flight); `restoring` answers "no session" with `null`. */
  const refreshNow = async (restoring?: boolean) => {
    tabs?.listen_();
    const result = await refresher.refresh_();
    if (!(result instanceof AuthError)) return toSession(result);
    if (restoring && result.code === 'unauthorized') return null;
    throw result;
  };

  const client: AuthClient<TUser> = {
    restore: () => refreshNow(true),
    login: (credentials) => signIn('login', credentials) as Promise<Session<TUser>>,
    register: (fields) => signIn('register', fields),
    // Only the challenge and the code go out, whatever else the caller's object holds.
    verifyMfa: ({ mfaToken, code }) => signIn('mfa', { mfaToken, code }) as Promise<Session<TUser>>,
    logout: (logoutOptions) => leave('user', logoutOptions?.everywhere),
    refresh: () => refreshNow() as Promise<Session<TUser>>,
    getAccessToken: () => tokens.forRequest_(),
    authFetch: createAuthFetch(config, tokens),
    getState: store.getState_,
    subscribe: store.subscribe_,
    on: events.on_,
    onLogout: (handler) => events.on_('logout', handler),
    extension: {
      endpoint: config.endpoints_.prepare_,
      endSession: leave,
    },
    dispose() {
      disposed = true;
      timer.dispose_();
      lock.close_();
      tabs?.close_();
      store.clear_();
      events.clear_();
    },
  };
  return client;
}
