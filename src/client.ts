import { createAccessTokens } from './access-token';
import { createAuthFetch } from './auth-fetch';
import { errorForStatus, postAuth, type AuthCall } from './auth-request';
import { AuthError } from './errors';
import { createEmitter } from './emitter';
import { resolveConfig } from './options';
import { createRefreshTimer } from './refresh-timer';
import { createRefresher } from './refresh';
import { createSessionStore, type Grant } from './session-store';
import { readGrant } from './token-response';
import type { AuthClient, AuthClientOptions, AuthEvents, AuthUser, LogoutReason, Session } from './types';

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
  const store = createSessionStore<TUser>();
  const events = createEmitter<AuthEvents<TUser>>();

  const call = (name: AuthCall, body?: unknown, accessToken?: string | null) =>
    postAuth({
      url: config.endpointUrl(name),
      fetch: config.getFetch(),
      timeoutMs: config.timeoutMs,
      ...(body === undefined ? {} : { body }),
      ...(accessToken ? { accessToken } : {}),
    });

  /** Calls `login`, `register` or `refresh`; `null` when a 2xx carries no token. */
  const requestGrant = async (name: AuthCall, body: unknown, previous: Grant<TUser> | null) => {
    const answer = await call(name, body);
    if (!answer.ok) throw errorForStatus(name, answer.status);
    const context = { parse: config.parse, refreshMarginMs: config.refreshMarginMs, receivedAt: Date.now(), previous };
    const grant = name === 'register' && !answer.text.trim() ? null : readGrant(answer.text, answer.status, context);
    if (!grant && name !== 'register') throw new AuthError('invalid_response', 'No access token', { status: answer.status });
    return grant;
  };

  const timer = createRefreshTimer(() => void refresher.refresh());

  const endSession = (reason: LogoutReason) => {
    timer.cancel();
    if (store.end()) events.emit('logout', { reason });
  };

  const refresher = createRefresher<TUser>({
    store,
    fetchGrant: async (previous) => (await requestGrant('refresh', undefined, previous)) as Grant<TUser>,
    onRenewed(grant) {
      timer.schedule(grant.refreshAt);
      events.emit('refresh', { expiresAt: grant.expiresAt });
    },
    onRejected: () => endSession('refresh_failed'),
    onFailed: (error) => events.emit('error', { error }),
  });

  const tokens = createAccessTokens(store, refresher);
  const toSession = (grant: Grant<TUser>): Session<TUser> => ({ user: grant.user, expiresAt: grant.expiresAt });

  const beginSession = (grant: Grant<TUser>) => {
    store.begin(grant);
    timer.schedule(grant.refreshAt);
    events.emit('login', { user: grant.user });
    return toSession(grant);
  };

  /** A login must not race a refresh: the later Set-Cookie would win, possibly the old session's. */
  const afterRefresh = async () => {
    await refresher.inFlight();
  };

  return {
    async restore() {
      const result = await refresher.refresh();
      if (result.ok) return toSession(result.grant);
      if (result.error.code === 'unauthorized') return null;
      throw result.error;
    },
    async login(credentials) {
      await afterRefresh();
      return beginSession((await requestGrant('login', credentials, null)) as Grant<TUser>);
    },
    async register(fields) {
      await afterRefresh();
      const grant = await requestGrant('register', fields, null);
      return grant ? beginSession(grant) : null;
    },
    async logout(logoutOptions) {
      const accessToken = store.grant()?.accessToken ?? null;
      endSession('user');
      try {
        const answer = await call('logout', logoutOptions?.everywhere ? { everywhere: true } : undefined, accessToken);
        if (!answer.ok) events.emit('error', { error: errorForStatus('logout', answer.status) });
      } catch (error) {
        // Offline: memory is already clear; the cookie outlives us until the server sees a logout.
        if (error instanceof AuthError) events.emit('error', { error });
      }
    },
    async refresh() {
      const result = await refresher.refresh();
      if (result.ok) return toSession(result.grant);
      throw result.error;
    },
    getAccessToken: () => tokens.forRequest(),
    authFetch: createAuthFetch(config, tokens),
    getState: store.getState,
    subscribe: store.subscribe,
    on: events.on,
    onLogout: (handler) => events.on('logout', handler),
    dispose() {
      timer.dispose();
      store.clear();
      events.clear();
    },
  };
}
