import type { AuthError } from './errors';

/** Where the session stands. `unknown` until `restore()`, `login()` or `register()` settles it. */
export type AuthStatus = 'unknown' | 'authenticated' | 'anonymous';

/** The signed-in user: the token response's `user`, else the access token's JWT claims. */
export type AuthUser = Record<string, unknown>;

/** What the app may know about the session. Never holds the access token. */
export interface AuthState<TUser = AuthUser> {
  readonly status: AuthStatus;
  readonly user: TUser | null;
  /** When the access token expires, epoch ms on the local clock; `null` when unknown or signed out. */
  readonly expiresAt: number | null;
}

/** A live session, as `login()`, `register()`, `refresh()` and `restore()` return it. */
export interface Session<TUser = AuthUser> {
  readonly user: TUser | null;
  /** Epoch ms on the local clock; `null` for an opaque token the server gave no lifetime for. */
  readonly expiresAt: number | null;
}

/** Why a session ended: `user` called `logout()`, another tab did (`remote`), or the refresh was refused. */
export type LogoutReason = 'user' | 'remote' | 'refresh_failed';

/** Events and their payloads, for {@link AuthClient.on}. */
export interface AuthEvents<TUser = AuthUser> {
  /** A session began through `login()` or `register()`. */
  login: { readonly user: TUser | null };
  /** The session ended; fires once per change from authenticated to anonymous. */
  logout: { readonly reason: LogoutReason };
  /** A refresh brought a new access token. */
  refresh: { readonly expiresAt: number | null };
  /** A refresh failed without ending the session (network, timeout, 5xx, bad response). */
  error: { readonly error: AuthError };
}

/** What a token endpoint's JSON body means, as {@link AuthClientOptions.parseTokenResponse} returns it. */
export interface TokenResponse<TUser = AuthUser> {
  /** `undefined` or `null` means the body carries no token (allowed for `register`). */
  readonly accessToken: string | null | undefined;
  /** Seconds the token lives, measured from receipt on the local clock. */
  readonly expiresIn?: number | undefined;
  readonly user?: TUser | null | undefined;
}

/** Paths of the auth server's endpoints, resolved against `baseUrl`; absolute URLs are used as is. */
export interface AuthEndpoints {
  /** @default '/auth/login' */
  login: string;
  /** @default '/auth/register' */
  register: string;
  /** @default '/auth/refresh-token' */
  refresh: string;
  /** @default '/auth/logout' */
  logout: string;
}

/** Credentials or sign-up fields, sent as the JSON body. */
export type AuthCredentials = Record<string, unknown>;

/** Options for {@link createAuthClient}. */
export interface AuthClientOptions<TUser = AuthUser> {
  /**
   * The auth server's base URL: absolute, or relative to `location.origin`.
   * Endpoint paths are appended to its path.
   * @example 'https://api.example.com/v1'
   */
  baseUrl: string;
  /**
   * Endpoint paths, resolved against `baseUrl`.
   * @default { login: '/auth/login', register: '/auth/register', refresh: '/auth/refresh-token', logout: '/auth/logout' }
   */
  endpoints?: Partial<AuthEndpoints> | undefined;
  /**
   * The only origins whose requests get `Authorization`. Full URLs are reduced to their origin.
   * @default [origin of baseUrl]
   * @example ['https://api.example.com', 'https://files.example.com']
   */
  authorizedOrigins?: readonly string[] | undefined;
  /**
   * Seconds before expiry at which the token is refreshed; capped at half the token's lifetime.
   * @default 30
   */
  refreshMargin?: number | undefined;
  /**
   * Share login, logout and refreshed tokens between tabs, and refresh under a Web Lock.
   * @default true where BroadcastChannel exists
   */
  crossTab?: boolean | undefined;
  /**
   * Maps a token endpoint's JSON body to a {@link TokenResponse}.
   * @default accepts `accessToken`/`access_token`, `expiresIn`/`expires_in` and `user`
   * @example (body) => ({ accessToken: body.data.jwt, expiresIn: body.data.ttl })
   */
  parseTokenResponse?: ((body: unknown) => TokenResponse<TUser>) | undefined;
  /**
   * The fetch to use for auth calls and `authFetch`.
   * @default globalThis.fetch, looked up at call time (so mocks installed later apply)
   */
  fetch?: typeof fetch | undefined;
  /**
   * Milliseconds each auth-endpoint call may take, body included.
   * @default 10000
   */
  timeout?: number | undefined;
  /**
   * The one place that decides `user`: after login, register and every refresh (so also after
   * `restore()` on a reload). Another tab's message carries the user its sender decided. Give it
   * when your server's login and refresh answers differ, so `user` has one shape everywhere.
   * @default the answer's `user`, else the session's previous `user` (same account), else the JWT's claims
   * @example
   * createAuthClient<MyUser>({
   *   baseUrl,
   *   resolveUser: ({ claims, previous }) => previous ?? { id: String(claims?.sub), email: String(claims?.email) },
   * });
   */
  resolveUser?: ((context: ResolveUserContext<TUser>) => TUser | null) | undefined;
  /**
   * Logs every decision, one line each: why a request got no token, why a refresh ran or was
   * skipped, lock waits, tokens adopted from another tab, why a session ended. Never a token.
   * `true` writes `console.debug('[tokenkeeper] …', detail)`; a function receives each entry instead.
   * @default false
   * @example createAuthClient({ baseUrl, debug: import.meta.env.DEV })
   */
  debug?: boolean | ((entry: DebugEntry) => void) | undefined;
}

/** What {@link AuthClientOptions.resolveUser} is told. */
export interface ResolveUserContext<TUser = AuthUser> {
  /** The call whose answer brought the token. */
  readonly call: 'login' | 'register' | 'refresh';
  /** The answer's parsed JSON body. */
  readonly body: unknown;
  /** The access token's JWT claims, or `null` for an opaque token. */
  readonly claims: Readonly<Record<string, unknown>> | null;
  /** The session's user so far; `null` for a new session or when the token belongs to another account. */
  readonly previous: TUser | null;
}

/** One line of {@link AuthClientOptions.debug}: what was decided, and about what. Never a token. */
export interface DebugEntry {
  readonly message: string;
  readonly [detail: string]: unknown;
}

/** Options for {@link AuthClient.logout}. */
export interface LogoutOptions {
  /** Ask the server to revoke every session of the user, on every device. @default false */
  everywhere?: boolean | undefined;
}

/** The client that {@link createAuthClient} returns. */
export interface AuthClient<TUser = AuthUser> {
  /**
   * On page load: a silent refresh from the httpOnly cookie.
   * Resolves `null` (status `anonymous`) when the server has no session for this browser;
   * rejects with an `AuthError` on a network error or 5xx, leaving the state as it was.
   * @example const session = await auth.restore(); if (!session) router.push('/login')
   */
  restore(): Promise<Session<TUser> | null>;
  /**
   * Signs in. Rejects with `AuthError` (`invalid_credentials`, `validation`, `network`, …).
   * @example await auth.login({ email, password })
   */
  login(credentials: AuthCredentials): Promise<Session<TUser>>;
  /**
   * Creates an account. Resolves `null` when the server issues no token (e.g. email confirmation first).
   * @example await auth.register({ email, password, name })
   */
  register(fields: AuthCredentials): Promise<Session<TUser> | null>;
  /**
   * Clears the token from memory and fires `logout` at once, then tells the server.
   * Never rejects: a failed server call is reported through the `error` event.
   * @example await auth.logout({ everywhere: true })
   */
  logout(options?: LogoutOptions): Promise<void>;
  /**
   * Gets a new access token now. Concurrent calls share one request.
   * Rejects with `AuthError` `unauthorized` (and ends the session) when the server refuses.
   */
  refresh(): Promise<Session<TUser>>;
  /**
   * The access token for a request you make yourself, refreshed first when near expiry;
   * `null` when signed out.
   */
  getAccessToken(): Promise<string | null>;
  /**
   * `fetch` with `Authorization` for the authorized origins, refresh before expiry,
   * and one shared refresh + one replay on a 401.
   * @example const res = await auth.authFetch('/api/me')
   */
  authFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** The current state; the same object until something changes. */
  getState(): AuthState<TUser>;
  /**
   * Calls `listener` on every state change. Returns the unsubscribe function.
   * @example const off = auth.subscribe((state) => render(state))
   */
  subscribe(listener: (state: AuthState<TUser>) => void): () => void;
  /**
   * Listens to an event. Returns the function that removes the handler.
   * @example auth.on('refresh', ({ expiresAt }) => console.log('new token until', expiresAt))
   */
  on<E extends keyof AuthEvents<TUser>>(event: E, handler: (payload: AuthEvents<TUser>[E]) => void): () => void;
  /**
   * Shorthand for `on('logout', handler)`: the place to send the user to the login page.
   * @example auth.onLogout(({ reason }) => router.push(reason === 'user' ? '/' : '/login'))
   */
  onLogout(handler: (payload: AuthEvents<TUser>['logout']) => void): () => void;
  /** Stops timers, closes channels and drops every listener. */
  dispose(): void;
}
