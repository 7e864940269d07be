import { createAccessTokens } from './access-token';
import { createAuthFetch } from './auth-fetch';
import { errorForStatus, postAuth, type AuthCall } from './auth-request';
import { createCrossTab, type TabMessage } from './cross-tab';
import { AuthError } from './errors';
import { createEmitter } from './emitter';
import { resolveConfig } from './options';
import { withRefreshLock } from './refresh-lock';
import { createRefreshTimer } from './refresh-timer';
import { createRefresher } from './refresh';
import { createSessionStore, isDue, type Grant } from './session-store';
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
  const authOrigin = () => new URL(config.endpointUrl('refresh')).origin;

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

  /** Ends the session; true when one was live (so `logout` fired). */
  const endSession = (reason: LogoutReason) => {
    timer.schedule(null);
    const wasLive = store.end();
    if (wasLive) events.emit('logout', { reason });
    return wasLive;
  };
  /** A new token for the current session, from our refresh or another tab's. */
  const renewed = (grant: Grant<TUser>) => {
    store.renew(grant);
    timer.schedule(grant.refreshAt);
    events.emit('refresh', { expiresAt: grant.expiresAt });
  };
  const toSession = (grant: Grant<TUser>): Session<TUser> => ({ user: grant.user, expiresAt: grant.expiresAt });
  const began = (grant: Grant<TUser>) => {
    store.begin(grant);
    timer.schedule(grant.refreshAt);
    events.emit('login', { user: grant.user });
    return toSession(grant);
  };

  const isNewer = (mine: Grant<TUser> | null, theirs: Grant<TUser>) =>
    (mine?.expiresAt ?? -Infinity) > (theirs.expiresAt ?? Infinity);

  const tabs =
    options.crossTab ?? typeof BroadcastChannel === 'function'
      ? createCrossTab<TUser>(
          () => `tokenkeeper:${authOrigin()}`,
          (message: TabMessage<TUser>) => {
            if (message.type === 'login') began(message.grant);
            else if (message.type === 'logout') endSession(message.reason === 'user' ? 'remote' : message.reason);
            // A signed-out tab ignores tokens: it may have logged out while that refresh was in flight.
            // And a late message must not replace a newer token.
            else if (store.getState().status !== 'anonymous' && !isNewer(store.grant(), message.grant)) renewed(message.grant);
          },
        )
      : null;
  /** Tells the other tabs, and from now on listens to them. */
  const tell = (message: TabMessage<TUser>) => tabs?.post(message);

  const refresher = createRefresher<TUser>({
    store,
    fetchGrant: (before) => {
      const epoch = store.epoch();
      const refresh = async () => {
        if (tabs) {
          // Let a `refreshed` message that raced our lock grant land, then use it rather than refresh again.
          await new Promise((resolve) => setTimeout(resolve, 0));
          const current = store.grant();
          if (current && current !== before && !isDue(current)) return current;
          // Another tab's refresh was refused while we queued: do not ask again.
          if (store.epoch() !== epoch) throw new AuthError('unauthorized', 'Session ended');
        }
        const grant = (await requestGrant('refresh', undefined, before)) as Grant<TUser>;
        // Shared while we still hold the lock, so a tab queued behind us finds it.
        if (store.epoch() === epoch) tell({ v: 1, type: 'refreshed', grant });
        return grant;
      };
      return tabs ? withRefreshLock(`tokenkeeper:refresh:${authOrigin()}`, refresh) : refresh();
    },
    onRenewed: renewed,
    onRejected() {
      // Only a live session's refusal speaks for the shared cookie: a page-load restore that found no
      // cookie may simply have raced another tab's login.
      if (endSession('refresh_failed')) tell({ v: 1, type: 'logout', reason: 'refresh_failed' });
    },
    onFailed: (error) => events.emit('error', { error }),
  });

  const tokens = createAccessTokens(store, refresher);

  /** The login or register on its way, so a logout asked for meanwhile can end what it brings. */
  let signingIn: Promise<unknown> | null = null;
  const signIn = (name: 'login' | 'register', body: unknown) => {
    const pending = (async () => {
      tabs?.listen();
      // A login must not race a refresh: the later Set-Cookie would win, possibly the old session's.
      await refresher.inFlight();
      const grant = await requestGrant(name, body, null);
      if (!grant) return null;
      tell({ v: 1, type: 'login', grant });
      return began(grant);
    })();
    signingIn = pending;
    return pending.finally(() => {
      if (signingIn === pending) signingIn = null;
    });
  };
  const refreshNow = () => {
    tabs?.listen();
    return refresher.refresh();
  };
  const signOut = () => {
    endSession('user');
    tell({ v: 1, type: 'logout', reason: 'user' });
  };

  return {
    async restore() {
      const result = await refreshNow();
      if (!(result instanceof AuthError)) return toSession(result);
      if (result.code === 'unauthorized') return null;
      throw result;
    },
    login: (credentials) => signIn('login', credentials) as Promise<Session<TUser>>,
    register: (fields) => signIn('register', fields),
    async logout(logoutOptions) {
      let accessToken = store.grant()?.accessToken ?? null;
      signOut();
      if (signingIn) {
        // A login still on its way would begin a session after this logout, and its cookie would
        // outlive it: let it land, end it too, and revoke that session at the server.
        await signingIn.catch(() => {});
        const late = store.grant();
        if (late) {
          accessToken = late.accessToken;
          signOut();
        }
      }
      try {
        const answer = await call('logout', logoutOptions?.everywhere ? { everywhere: true } : undefined, accessToken);
        if (!answer.ok) events.emit('error', { error: errorForStatus('logout', answer.status) });
      } catch (error) {
        // Offline: memory is already clear; the cookie outlives us until the server sees a logout.
        if (error instanceof AuthError) events.emit('error', { error });
      }
    },
    async refresh() {
      const result = await refreshNow();
      if (result instanceof AuthError) throw result;
      return toSession(result);
    },
    getAccessToken: () => tokens.forRequest(),
    authFetch: createAuthFetch(config, tokens),
    getState: store.getState,
    subscribe: store.subscribe,
    on: events.on,
    onLogout: (handler) => events.on('logout', handler),
    dispose() {
      timer.dispose();
      tabs?.close();
      store.clear();
      events.clear();
    },
  };
}
