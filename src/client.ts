import { createAccessTokens } from './access-token';
import { createAuthFetch } from './auth-fetch';
import { errorForStatus, postAuth } from './auth-request';
import { createCrossTab, type TabMessage } from './cross-tab';
import { AuthError, type AuthErrorCode } from './errors';
import { isRecord } from './is-record';
import { createEmitter } from './emitter';
import { createNotifyQueue } from './notify-queue';
import { resolveConfig } from './options';
import { createRefreshTimer } from './refresh-timer';
import { createRefresher } from './refresh';
import { createSessionLock } from './session-lock';
import { createSessionStore, isDue, isExpired, isOtherAccount, type Grant } from './session-store';
import { readTokenAnswer } from './token-response';
import type { EndpointName, AuthClient, AuthClientOptions, AuthEvents, AuthUser, LogoutReason, Session } from './types';

type GrantCall = 'login' | 'register' | 'refresh' | 'mfa';
/** The refusals of a sign-in (a wrong code, an expired challenge, …) that say its tab is signed out. */
const SIGNED_OUT_BY: readonly AuthErrorCode[] = ['invalid_credentials', 'unauthorized'];

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
  const { log } = config;
  const queue = createNotifyQueue();
  const store = createSessionStore<TUser>(queue);
  const events = createEmitter<AuthEvents<TUser>>(queue);
  const { crossTab, sessionKey } = config;
  let disposed = false;
  /** Takes the refresh waiting for the Web Lock, if any, out of the queue: this tab has news of the session. */
  let stopWaiting = () => {};
  const reportError = (error: AuthError) => events.emit('error', { error });
  // A holder's task is one or two auth calls, each over within `timeout`: holding longer means frozen.
  const lock = createSessionLock(
    crossTab ? () => `tokenkeeper:refresh:${sessionKey()}` : null,
    2 * config.timeoutMs + 1000,
    () => new AuthError('unauthorized', 'Client disposed'),
    () => log('lock timeout'),
  );

  const call = (name: EndpointName, sent?: Record<string, unknown>, accessToken?: string | null, onCsrfError?: (error: AuthError) => void) =>
    postAuth(config.endpoints.prepare(name, sent, accessToken, onCsrfError), config.getFetch(), config.timeoutMs);

  /** Calls `login`, `register`, `mfa` or `refresh` (the latter with the token, when its endpoint wants one). */
  const requestGrant = async (name: GrantCall, sent: Record<string, unknown> | undefined, previous: Grant<TUser> | null) =>
    readTokenAnswer(await call(name, sent, previous?.accessToken), config, name, previous);

  /** Tells the server; a failure is reported, never thrown (memory is already clear). */
  const callLogout = async (name: 'logout' | 'logoutEverywhere', sent: Record<string, unknown> | undefined, accessToken: string | null) => {
    try {
      // Without a CSRF header we could not make, the server is still told: it may refuse, which is reported too.
      const answer = await call(name, sent, accessToken, reportError);
      if (!answer.ok) reportError(errorForStatus(name, answer));
      return answer.ok;
    } catch (error) {
      // Offline: the cookie outlives us until the server sees a logout.
      if (error instanceof AuthError) reportError(error);
      return false;
    }
  };

  const timer = createRefreshTimer(() => {
    log('timer: refreshing');
    void refresher.refresh();
  });

  // Each transition arms or clears the timer before app code hears of it, and app code hears of it
  // in order: a logout() called from a `login` handler cannot leave a timer armed or fire first.
  /** Ends the session; true when one was live (so `logout` fired). */
  const endSession = (reason: LogoutReason) =>
    queue.batch(() => {
      timer.schedule(null);
      const wasLive = store.end();
      stopWaiting();
      if (wasLive) {
        log('session ended', { reason });
        events.emit('logout', { reason });
      }
      return wasLive;
    });
  const toSession = (grant: Grant<TUser>): Session<TUser> => ({ user: grant.user, expiresAt: grant.expiresAt });
  /** Holds `grant`: a new session's first token (`login`), or the current one's next (`refresh`). */
  const hold = (grant: Grant<TUser>, newSession = false) =>
    queue.batch(() => {
      timer.schedule(grant.refreshAt);
      config.dpop?.adopt(grant.key); // token and key never disagree, whichever tab brought the token
      store.hold(grant, newSession);
      stopWaiting();
      if (newSession) events.emit('login', { user: grant.user });
      else events.emit('refresh', { expiresAt: grant.expiresAt });
      return toSession(grant);
    });

  /** Logouts asked for so far, here or in another tab: a login that lands after one it did not see must not live on. */
  let logouts = 0;

  const tabs = crossTab
    ? createCrossTab<TUser>(
        () => `tokenkeeper:${sessionKey()}`,
        (message: TabMessage<TUser>) => {
          log(`other tab: ${message.type}`);
          if (message.type === 'login') hold(message.grant, true);
          else if (message.type === 'logout') {
            // The user signed out in another tab: a login on its way here must not outlive that either.
            if (message.reason === 'user') logouts++;
            endSession(message.reason === 'user' ? 'remote' : message.reason);
          }
          // A signed-out tab ignores tokens: it may have logged out while that refresh was in flight.
          // And a late message must not replace a newer token.
          else if (store.getState().status !== 'anonymous' && !((store.grant()?.expiresAt ?? -Infinity) > (message.grant.expiresAt ?? Infinity))) {
            // Another account's token is a new session, however it was announced.
            hold(message.grant, isOtherAccount(store.grant()?.subject, message.grant.subject));
          }
        },
        reportError,
      )
    : null;
  /** Tells the other tabs, and from now on listens to them; resolves once they have been handed the message. */
  const tell = (message: TabMessage<TUser>) => tabs?.post(message);

  /**
   * A new token for the session `before` was the token of, from the server unless this tab already
   * has one (a login, or another tab's refresh, brought it) or the session ended meanwhile.
   */
  const fetchGrant = (before: Grant<TUser> | null): Promise<Grant<TUser>> => {
    const epoch = store.epoch();
    /** What this tab learned without asking the server: a token a login or another tab's refresh brought, or the session's end. */
    const adopt = () => {
      const current = store.grant();
      if (current && current !== before && !isDue(current)) {
        log('refresh: token adopted');
        return current;
      }
      // The session ended (a logout, another tab's refused refresh): do not ask again.
      if (store.epoch() !== epoch) throw new AuthError('unauthorized', 'Session ended');
    };
    const answered = new AbortController();
    // The Web Lock is for the tab that must ask the server: news of the session stops the wait for it.
    stopWaiting = () => answered.abort();
    return lock
      .run(async (keepLock) => {
        const current = adopt();
        if (current) return current;
        log('refresh: calling server');
        const grant = (await requestGrant('refresh', undefined, before)) as Grant<TUser>;
        // Shared before the lock is released, so a tab queued behind us has it when its turn comes;
        // also when dispose() came meanwhile: the tabs that stay get the token this cookie was rotated for.
        // Another account's token (the cookie followed a sign-in elsewhere) starts a new session: the
        // other tabs must hear it as one, or they would replay the old session's requests in it.
        if (store.epoch() === epoch) keepLock(tell({ v: 1, type: isOtherAccount(before?.subject, grant.subject) ? 'login' : 'refreshed', grant }));
        return grant;
      }, answered.signal)
      .catch((error: unknown) => {
        if (error !== answered.signal.reason) throw error;
        // Out of the queue on news that does not answer us after all (a token already due): back in.
        return adopt() ?? fetchGrant(before);
      });
  };

  const refresher = createRefresher<TUser>({
    store,
    fetchGrant,
    onRenewed(grant) {
      if (disposed) return;
      // A window that does not share our channel signed in as someone else, and the shared cookie
      // followed: that is a new session, and requests of the old one must not be replayed in it.
      hold(grant, isOtherAccount(store.grant()?.subject, grant.subject));
    },
    onRejected() {
      // Only a live session's refusal speaks for the shared cookie: a page-load restore that found no
      // cookie may simply have raced another tab's login.
      if (!disposed && endSession('refresh_failed')) tell({ v: 1, type: 'logout', reason: 'refresh_failed' });
    },
    onFailed(error) {
      log('refresh failed', { code: error.code });
      reportError(error);
    },
  });

  const tokens = createAccessTokens(store, refresher, log);

  /** Ends the session here and in the other tabs. */
  const signOut = (reason: Exclude<LogoutReason, 'remote'>) => {
    endSession(reason);
    tell({ v: 1, type: 'logout', reason });
  };
  const signIn = (name: 'login' | 'register' | 'mfa', sent: Record<string, unknown>) => {
    tabs?.listen();
    const logoutsBefore = logouts;
    return lock.run(async (keepLock) => {
      const answer = await requestGrant(name, sent, null);
      let grant: Grant<TUser>;
      if ('accessToken' in answer) grant = answer;
      else {
        // A login that only set the cookie: its token comes from one refresh, with the login's user.
        log(`${name}: no token, refreshing`);
        const user = isRecord(answer.user) ? (answer.user as TUser) : null;
        const refreshed = await requestGrant('refresh', undefined, { user, userFromServer: !!user } as Grant<TUser>).catch(
          (error: AuthError) => {
            if (error.code !== 'unauthorized') throw error;
            // No cookie either. A sign-up that starts no session yet (email confirmation first) is no error.
            if (name === 'register') return null;
            throw new AuthError('invalid_response', 'No access token');
          },
        );
        if (!refreshed) return null;
        grant = refreshed as Grant<TUser>;
      }
      // Shared before the lock is released: a refresh queued behind this login must not run in its session unawares.
      keepLock(tell({ v: 1, type: 'login', grant }));
      const session = hold(grant, true);
      if (logouts !== logoutsBefore && store.grant() === grant) {
        // logout() was called while this login was on its way: end what it brought, and revoke it
        // now, while its cookie is still the browser's (a later login would replace it).
        signOut('user');
        await callLogout('logout', undefined, grant.accessToken);
      }
      return session;
    }).catch((error: AuthError) => {
      // Refused: nobody is signed in by this call. A page that never restored learns it here; a
      // session already known (or a restore on its way) is left alone.
      if (SIGNED_OUT_BY.includes(error.code) && store.getState().status === 'unknown' && !refresher.inFlight()) {
        endSession('user');
      }
      throw error;
    });
  };
  /**
   * Ends `grant`'s session at the server, after the login or refresh in flight (so the cookie it
   * sends is the newest one). Never sends a token known to be dead: a fresh one from the cookie,
   * else the cookie alone.
   */
  const tellServer = (grant: Grant<TUser> | null, everywhere?: boolean) =>
    lock
      .run(async () => {
        let token = grant?.accessToken ?? null;
        if (grant && isExpired(grant)) {
          token = await requestGrant('refresh', undefined, grant).then((fresh) => (fresh as Grant<TUser>).accessToken, () => null);
        }
        const ownEndpoint = everywhere && config.hasLogoutEverywhere;
        // A 2xx from the server's own "everywhere" endpoint has ended this session too: a logout after
        // it would be refused (Payload answers 400 No User) and reported as a failure.
        if (!(ownEndpoint && (await callLogout('logoutEverywhere', undefined, token)))) {
          await callLogout('logout', everywhere && !ownEndpoint ? { everywhere } : undefined, token);
        }
      })
      .catch(() => {});

  /** Ends the session for `reason`, here and in the other tabs, then tells the server. */
  const leave = async (reason: Exclude<LogoutReason, 'remote'>, everywhere?: boolean) => {
    const grant = store.grant();
    logouts++;
    signOut(reason);
    await tellServer(grant, everywhere);
  };

  /** Refreshes now (joining a refresh in flight); `restoring` answers "no session" with `null`. */
  const refreshNow = async (restoring?: boolean) => {
    tabs?.listen();
    const result = await refresher.refresh();
    if (!(result instanceof AuthError)) return toSession(result);
    if (restoring && result.code === 'unauthorized') return null;
    throw result;
  };

  const authFetch = createAuthFetch(config, tokens);
  const client: AuthClient<TUser> = {
    restore: () => refreshNow(true),
    login: (credentials) => signIn('login', credentials) as Promise<Session<TUser>>,
    register: (fields) => signIn('register', fields),
    // Only the challenge and the code go out, whatever else the caller's object holds.
    verifyMfa: ({ mfaToken, code }) => signIn('mfa', { mfaToken, code }) as Promise<Session<TUser>>,
    logout: (logoutOptions) => leave('user', logoutOptions?.everywhere),
    refresh: () => refreshNow() as Promise<Session<TUser>>,
    getAccessToken: () => tokens.forRequest(),
    authFetch,
    getState: store.getState,
    subscribe: store.subscribe,
    on: events.on,
    onLogout: (handler) => events.on('logout', handler),
    extension: {
      endpoint: config.endpoints.prepare,
      endSession: leave,
    },
    dispose() {
      disposed = true;
      timer.dispose();
      lock.close();
      tabs?.close();
      store.clear();
      events.clear();
    },
  };
  return client;
}
