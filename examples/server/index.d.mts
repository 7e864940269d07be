// Types for TypeScript callers (the tests); the implementation is plain JavaScript.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import type { AuthStore } from './stores/index.mjs';

export type { AuthStore, Family, MfaState, RedisStoreOptions, StoredUser, TokenRecord } from './stores/index.mjs';
export { createMemoryStore, createRedisStore, createStore } from './stores/index.mjs';

export interface AuthAppOptions {
  /** Seconds. @default 60 */
  accessTokenTtl?: number;
  /** Seconds. @default 86400 */
  refreshTokenTtl?: number;
  /** Seconds in which the refresh token just replaced yields a fresh token instead of counting as reuse; 0: never. @default 10 */
  reuseInterval?: number;
  /** Origins that get CORS headers. @default [] */
  allowedOrigins?: readonly string[];
  /** How access tokens are signed. ES256 publishes its public key at `/.well-known/jwks.json`. @default 'HS256' */
  jwtAlg?: 'HS256' | 'ES256';
  /** HS256 key; give every instance the same one. @default 32 random bytes (tokens die with the process) */
  secret?: string | Uint8Array;
  /** ES256 key: a JWK (object or JSON) or a PEM; give every instance the same one. @default generated (tokens die with the process) */
  privateKey?: string | JWK;
  /** Where users, sessions and MFA state live. The caller closes a store it passes. @default a memory store on `now` */
  store?: AuthStore;
  /** Seed users. @default [DEMO_USER] */
  users?: { email: string; password: string; name?: string }[];
  /** Clock, epoch ms. @default Date.now */
  now?: () => number;
  /** @default 'tk_refresh' */
  cookieName?: string;
  /** @default 16384 */
  maxBodyBytes?: number;
  /** Receives one line per auth call (`auth: POST /auth/login 200 demo@example.com`) and per refused CORS origin; never a token, password or code (but see `logDemoTotp`). @default no logging */
  log?: (line: string) => void;
  /** Also log the demo user's current TOTP code whenever it is asked for one (enrol, status, login, a wrong code), through `log`. @default false */
  logDemoTotp?: boolean;
  /** The name authenticator apps show next to the account. @default 'tokenkeeper example' */
  issuer?: string;
  /**
   * The SPA is on another site: the refresh cookie is `SameSite=None; Secure` (and `Partitioned`),
   * `GET /auth/csrf` hands out the browser's CSRF token to `allowedOrigins`, and the calls that use
   * the refresh cookie answer `403 { error: 'csrf' }` unless `X-CSRF-Token` carries it.
   * @default false (`SameSite=Strict`, no CSRF token needed)
   */
  crossSite?: boolean;
  /** With `crossSite`: mark the cookies `Partitioned` (CHIPS), which browsers that block third-party cookies still keep, for the SPA's site only. @default true */
  partitioned?: boolean;
  /**
   * DPoP (RFC 9449): a login, register, refresh or mfa call with a valid `DPoP` proof gets
   * `token_type: 'DPoP'` and a token bound to the proof's key (`cnf.jkt`), which every call that
   * takes an access token then refuses without `Authorization: DPoP` and a proof by that key
   * (401, `WWW-Authenticate: DPoP error="invalid_token"`). Calls without a proof get bearer tokens.
   * `true` is `{}`.
   * @default false (`main.mjs`: on, unless `DPOP=0`)
   */
  dpop?: boolean | DpopOptions;
  /**
   * How much guessing is answered before `429 { error: 'too_many_attempts' }` with `Retry-After`
   * (seconds). Every try is taken before it is checked, so parallel guesses, on any instance,
   * cannot outrun the count. `main.mjs`: `LIMIT_PASSWORDS_PER_ACCOUNT`, `LIMIT_PASSWORDS_PER_ADDRESS`,
   * `LIMIT_CODES_PER_ACCOUNT`, `LIMIT_WINDOW`.
   * @default { passwordsPerAccount: 10, passwordsPerAddress: 100, codesPerAccount: 5, window: 900 }
   */
  limits?: GuessingLimits;
}

export interface GuessingLimits {
  /** Wrong passwords per email (any case), whether or not it has an account, per window; a right one clears the count. @default 10 */
  passwordsPerAccount?: number;
  /** Wrong passwords per client address per window; a right one gives its try back. @default 100 */
  passwordsPerAddress?: number;
  /** Wrong TOTP codes per account per window, login challenges, confirm and disable together; a right one clears the count. @default 5 */
  codesPerAccount?: number;
  /**
   * Seconds from a key's first try. Password counts run on the limiter's own clock (real time);
   * code counts on the store's (the memory store's is `now`, Redis's its own).
   * @default 900
   */
  window?: number;
  /** The client address passwords are counted by. Behind a proxy, read it from the header that proxy sets. @default the socket's remote address */
  clientAddress?: (req: IncomingMessage) => string;
}

export interface DpopOptions {
  /** Proofs must carry the server's `DPoP-Nonce` (sent on every answer); else `400`/`401` `use_dpop_nonce`. @default false */
  requireNonce?: boolean;
  /** Seconds a nonce is handed out for; it is accepted for one period more. Stateless (HMAC of the period), so every instance agrees. @default 300 */
  nonceTtl?: number;
  /** Seconds a proof's `iat` may be from the server's clock either way. @default 60 */
  iatWindow?: number;
  /** The origins clients call this server at, which a proof's `htu` must name (behind a proxy). @default the request's `Host`, over http or https */
  origins?: readonly string[];
}

export interface AuthStats {
  logins: number;
  registrations: number;
  /** Successful refreshes, siblings handed out within the reuse interval included. */
  refreshes: number;
  /** Refreshes that advanced their family (the rest of `refreshes` were within the reuse interval). */
  rotations: number;
  rejectedRefreshes: number;
  reuseDetected: number;
  logouts: number;
  meRequests: number;
}

export interface AuthApp {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Resolves once the signing key is loaded and the seed users are in the store. */
  ready: Promise<void>;
  store: AuthStore;
  /** Known once `ready` resolves. `generated`: no key was configured, tokens die with the process. */
  readonly signingKey: { alg: 'HS256' | 'ES256'; kid: string; generated: boolean };
  stats: AuthStats;
  reset(): void;
  expireAccessTokens(): Promise<void>;
}

export interface StartServerOptions extends AuthAppOptions {
  /** 0 picks a free port. @default 4000 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Directory served at `/`, with index.html as the fallback for client-side routes. */
  staticDir?: string;
  /** Keep users and sessions in this Redis (unless `store` is given); `close()` closes that connection. */
  redisUrl?: string;
}

export interface RunningServer {
  /** Where it listens, e.g. `http://127.0.0.1:4000`: for code in this process. */
  url: string;
  /** What a person should open: `http://localhost:4000` for a loopback or wildcard host, the same site as a Vite dev server on localhost. */
  browserUrl: string;
  port: number;
  app: AuthApp;
  stats: AuthStats;
  close(): Promise<void>;
}

export declare const DEMO_USER: { email: string; password: string; name: string };
export declare function createAuthApp(options?: AuthAppOptions): AuthApp;
export declare function startServer(options?: StartServerOptions): Promise<RunningServer>;
