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

/**
 * Why a session ended: `user` called `logout()`, another tab did (`remote`), the refresh was
 * refused, or nobody did anything for the idle timeout (`idle`, from `tokenkeeper/idle`).
 */
export type LogoutReason = 'user' | 'remote' | 'refresh_failed' | 'idle';

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

/** The calls the client makes to the auth server. */
export type AuthCall = 'login' | 'register' | 'refresh' | 'logout' | 'logoutEverywhere' | 'mfa';

/** JSON fields, or a function of what the client would send that answers fields to merge into it. */
export type EndpointBody = Record<string, unknown> | ((sent: Record<string, unknown>) => Record<string, unknown>);

/**
 * One endpoint, for a server whose calls differ from the default wire protocol.
 * @example { path: '/api/v1/auth/token/refresh', method: 'GET', headers: { 'xc-gui': 'true' } }
 */
export interface EndpointConfig {
  /** A path resolved against `baseUrl`, or an absolute URL. */
  path: string;
  /** `GET` and `HEAD` send no body and no `Content-Type`. @default 'POST' */
  method?: string | undefined;
  /** Extra headers, or a function answering them at each call. */
  headers?: Record<string, string> | (() => Record<string, string>) | undefined;
  /** Extra JSON merged into what the client sends (credentials, `{ everywhere: true }`, …). */
  body?: EndpointBody | undefined;
  /** Whether the call carries the access token (where `tokenHeader` says). @default true for `logout`, false otherwise */
  bearer?: boolean | undefined;
}

/** A path or absolute URL, or an {@link EndpointConfig}. */
export type Endpoint = string | EndpointConfig;

/** The auth server's endpoints, resolved against `baseUrl`; absolute URLs are used as is. */
export interface AuthEndpoints {
  /** @default '/auth/login' */
  login: Endpoint;
  /** @default '/auth/register' */
  register: Endpoint;
  /** @default '/auth/refresh-token' */
  refresh: Endpoint;
  /** @default '/auth/logout' */
  logout: Endpoint;
  /**
   * When set, `logout({ everywhere: true })` calls it (cookie and access token) before the normal
   * logout call, instead of sending `{ everywhere: true }`.
   * @default none
   */
  logoutEverywhere?: Endpoint | undefined;
  /** The second login step: `POST { mfaToken, code }`, answered like login. @default '/auth/mfa/verify' */
  mfa: Endpoint;
  /** The signed-in devices, for `tokenkeeper/sessions` (`GET` to list, `DELETE <sessions>/<id>` to revoke). @default '/auth/sessions' */
  sessions: Endpoint;
}

/** An endpoint's name: one of {@link AuthEndpoints}, or one of your own that a module calls through {@link AuthExtension.endpoint}. */
export type EndpointName = keyof AuthEndpoints | (string & {});

/** What {@link AuthClientOptions.parseTokenResponse} is told besides the body. */
export interface TokenResponseContext {
  /** The call whose answer this is. */
  readonly call: 'login' | 'register' | 'refresh' | 'mfa';
  readonly status: number;
  /** The answer's headers, for a token carried in a header. */
  readonly headers: Headers;
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
   * Endpoints: paths (resolved against `baseUrl`), absolute URLs, or {@link EndpointConfig}s.
   * @default { login: '/auth/login', register: '/auth/register', refresh: '/auth/refresh-token', logout: '/auth/logout' }
   * @example { refresh: { path: '/auth/token', method: 'GET' }, logoutEverywhere: '/auth/logout-all' }
   */
  endpoints?: (Partial<AuthEndpoints> & { readonly [name: string]: Endpoint | undefined }) | undefined;
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
   * Maps a token endpoint's JSON body to a {@link TokenResponse}. Also told the call, status and
   * headers, for a token carried in a header or an answer that means something else per call.
   * @default accepts `accessToken`/`access_token`, `expiresIn`/`expires_in` and `user`
   * @example (body) => ({ accessToken: body.data.jwt, expiresIn: body.data.ttl })
   * @example (body, { headers }) => ({ accessToken: headers.get('x-access-token') })
   *
   * Its `user` may be your `TUser` or the server's object as it came (`Record<string, unknown>`),
   * so a recipe for a backend fits `createAuthClient<User>()`: the type argument is your word for
   * the server's user, as it is for the JWT's claims; `resolveUser` is where to check it.
   */
  parseTokenResponse?: ((body: unknown, context: TokenResponseContext) => TokenResponse<TUser> | TokenResponse) | undefined;
  /**
   * The refresh answers that mean "no session here": `restore()` resolves `null`, a live session
   * ends with `refresh_failed`. A function decides for servers that use one status for both a
   * refusal and their own failures.
   * @default [401, 403]
   * @example [400, 401] // a server that answers 400 when the cookie is missing
   */
  refreshRefusedStatuses?: readonly number[] | ((status: number, body: unknown) => boolean) | undefined;
  /**
   * Where `authFetch` (and the calls that carry the token) put the access token; `scheme: null`
   * sends the bare token. A caller who sets this header itself keeps it (rule 1).
   * @default { name: 'Authorization', scheme: 'Bearer' }
   * @example { name: 'xc-auth', scheme: null }
   */
  tokenHeader?: { name: string; scheme?: string | null | undefined } | undefined;
  /**
   * Double-submit CSRF for every auth call: read the script-readable cookie `cookie` at each call
   * and send its value in `header`; or a function answering headers to add. Needed when the API is
   * on another site (its cookie is `SameSite=None`).
   * @default none
   * @example { cookie: 'XSRF-TOKEN', header: 'X-XSRF-TOKEN' }
   */
  csrf?: { cookie: string; header: string } | (() => Record<string, string>) | undefined;
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
  /**
   * DPoP (RFC 9449): `createDpop()` from `tokenkeeper/dpop`. Every auth call and every `authFetch`
   * to an authorized origin then carries a proof signed by a key script cannot export, the token
   * goes out as `Authorization: DPoP <token>` (the default `tokenHeader` scheme becomes `DPoP`),
   * and only `token_type: 'DPoP'` answers are accepted (any other is `invalid_response`: a silent
   * downgrade to bearer otherwise). Without it, a `token_type: 'DPoP'` answer is `invalid_response`.
   * @default none
   * @example
   * import { createDpop } from 'tokenkeeper/dpop';
   * createAuthClient({ baseUrl, dpop: createDpop() });
   */
  dpop?: DpopBinding | undefined;
}

/**
 * What the client needs of its `dpop` option; `createDpop()` from `tokenkeeper/dpop` makes one.
 * Declared here, as a type only, so the core carries no DPoP code.
 *
 * @example
 * const dpop: DpopBinding = createDpop();
 */
export interface DpopBinding {
  /**
   * A `fetch` that sends each request with a fresh proof (and retries once when asked for a nonce);
   * `fetch` defaults to `globalThis.fetch` at call time.
   */
  bind(fetch?: typeof globalThis.fetch): typeof globalThis.fetch;
  /**
   * For a token answer's JSON body: the key pair its token is bound to, for the other tabs. Throws
   * an `AuthError` (`invalid_response`) unless the answer says `token_type: 'DPoP'`.
   */
  tokenKey(answer: unknown): unknown;
  /** Signs with the key pair another tab's token is bound to. */
  adopt(keyPair: unknown): boolean;
  /** Whether an answer asks for a new nonce (`use_dpop_nonce`) rather than saying the token expired. */
  isNonceError(status: number, headers: Headers, body?: unknown): boolean;
}

/** What {@link AuthClientOptions.resolveUser} is told. */
export interface ResolveUserContext<TUser = AuthUser> {
  /** The call whose answer brought the token. */
  readonly call: 'login' | 'register' | 'refresh' | 'mfa';
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
   * Finishes a login that rejected with `mfa_required`: sends the challenge and the user's code to
   * `endpoints.mfa`, answered like login. A wrong code rejects `invalid_credentials`; an expired or
   * unknown challenge `unauthorized`. Nothing of the challenge is kept anywhere but your hands.
   * @example
   * try { await auth.login(form) }
   * catch (error) { if (isAuthError(error) && error.code === 'mfa_required') await auth.verifyMfa({ mfaToken: error.mfaToken!, code }) }
   */
  verifyMfa(challenge: { mfaToken: string; code: string }): Promise<Session<TUser>>;
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
  /**
   * The seam for modules that take the client (`tokenkeeper/sessions`, `tokenkeeper/idle`, your
   * own): the two things only the client can do. Everything else a module needs is the API above.
   * @example const { url, headers } = auth.extension.endpoint('sessions')
   */
  readonly extension: AuthExtension;
}

/** What a module can ask of the client besides its public API. See docs/extending.md. */
export interface AuthExtension {
  /**
   * The request for the auth server's endpoint `name`, as the client's own calls make it: its URL
   * resolved against `baseUrl`, its method, its `headers` with `csrf`'s, and `body` merged with its
   * own (none for GET or HEAD); `bearer` says whether it carries the token. Send it with `authFetch`,
   * which adds the token where `tokenHeader` says (the auth server's origin is authorized by
   * default), a DPoP proof with `dpop`, and one shared refresh and one replay on a 401. Throws
   * `AuthError` when the CSRF header cannot be made, `TypeError` for a name that has no endpoint.
   * @example
   * const { url, method, headers } = auth.extension.endpoint('sessions');
   * const res = await auth.authFetch(url, { method, headers, credentials: 'include' });
   */
  endpoint(name: EndpointName, body?: Record<string, unknown>): EndpointCall;
  /**
   * Ends the session as `logout()` does, for `reason`: memory is cleared and `logout` fires with that
   * reason, the other tabs end theirs with the same reason at once, then the server is told. Never
   * rejects; a failed server call is reported through `error`. Tabs that must end together but tell
   * the server once (an idle timeout) take turns, e.g. under a Web Lock, and only a tab still
   * `authenticated` calls it: the others heard the first tab's message.
   * @example if (auth.getState().status === 'authenticated') await auth.extension.endSession('idle')
   */
  endSession(reason: Exclude<LogoutReason, 'remote'>): Promise<void>;
}

/** An auth-server call, as {@link AuthExtension.endpoint} prepares it. */
export interface EndpointCall {
  readonly url: string;
  /** Upper case. */
  readonly method: string;
  readonly headers: Record<string, string>;
  /** JSON to send; `undefined` for GET and HEAD. */
  readonly body: Record<string, unknown> | undefined;
  /** Whether the call carries the access token (the endpoint's `bearer`). */
  readonly bearer: boolean;
}
