import type { HttpHandler } from 'msw';

/**
 * A user the mock server knows. Every field but `password` is profile data and is returned as
 * `user` (with a stable `id`, `'u1'`, `'u2'`… unless you give one) and copied into the JWT.
 *
 * @example
 * const alice: MockUser = { email: 'alice@example.com', password: 'wonderland', name: 'Alice' };
 */
export interface MockUser {
  email: string;
  /** Plain text here only: the server keeps a PBKDF2 hash and never returns it. */
  password: string;
  /**
   * A base32 TOTP secret: the user has a second factor from the start, so login answers
   * `mfa_required`. Not profile data. Compute codes with {@link generateTotp}.
   *
   * @example 'JBSWY3DPEHPK3PXP'
   */
  totpSecret?: string;
  [profile: string]: unknown;
}

/**
 * Options of {@link createAuthServer}.
 *
 * @example
 * createAuthServer({ baseUrl: 'https://api.example.com', users: [{ email: 'a@b.c', password: 'password1' }] });
 */
export interface AuthServerOptions {
  /**
   * Absolute URL of the API; endpoint paths are appended to its path. The refresh cookie is
   * `Secure` unless this is plain http to a host other than localhost (browsers drop a Secure
   * cookie there), so `http://api.test` works too.
   *
   * @example 'https://api.example.com'
   * @example 'https://x.io/v1' // login at https://x.io/v1/auth/login
   */
  baseUrl: string;
  /**
   * Access token lifetime, in seconds.
   *
   * @default 900
   * @example 60
   */
  accessTokenTtl?: number;
  /**
   * Lifetime of each refresh token from its issue (rotation issues a new one), in seconds.
   *
   * @default 1_209_600 (14 days)
   * @example 3600
   */
  refreshTokenTtl?: number;
  /**
   * Grace period, in seconds from a refresh token's first rotation, during which it still works
   * (two tabs refreshing at once). Presented at or after its end, it counts as reuse and revokes
   * its whole family. With `0` any second presentation is reuse, even in the same millisecond.
   *
   * @default 10
   * @example 0 // no grace period: test reuse detection with a frozen `now`
   */
  reuseInterval?: number;
  /**
   * Users that exist from the start, and again after `reset()`.
   *
   * @default []
   * @example [{ email: 'alice@example.com', password: 'wonderland', role: 'admin' }]
   */
  users?: MockUser[];
  /**
   * HS256 signing key, for tests that verify tokens themselves.
   *
   * @default a random secret per server
   * @example 'test-secret'
   */
  secret?: string;
  /**
   * Clock in epoch milliseconds, read for token `iat`/`exp`, refresh token expiry, the reuse
   * interval and `/me`. Inject one to test expiry without waiting.
   *
   * @default Date.now (read at call time, so fake timers apply)
   * @example
   * let clock = Date.now();
   * createAuthServer({ baseUrl, now: () => clock });
   * clock += 901_000; // every access token has now expired
   */
  now?: () => number;
  /**
   * Endpoint paths, appended to `baseUrl`'s path; an absolute URL is used as is.
   *
   * @default { login: '/auth/login', register: '/auth/register', refresh: '/auth/refresh-token', logout: '/auth/logout', me: '/me', mfa: '/auth/mfa/verify', mfaStatus: '/auth/mfa', mfaEnroll: '/auth/mfa/enroll', mfaConfirm: '/auth/mfa/confirm', mfaDisable: '/auth/mfa/disable', sessions: '/auth/sessions' }
   * @example { refresh: '/auth/refresh' }
   */
  endpoints?: Partial<AuthEndpoints>;
  /**
   * Name of the httpOnly refresh token cookie.
   *
   * @default 'tk_refresh'
   * @example 'refresh_token'
   */
  cookieName?: string;
  /**
   * Delay in milliseconds before every response, to exercise loading states and races.
   *
   * @default 0
   * @example 200
   */
  latency?: number;
  /**
   * DPoP (RFC 9449). With it, a login, register, refresh or mfa call that carries a valid `DPoP`
   * proof gets `token_type: 'DPoP'` and a token bound to the proof's key (`cnf.jkt`); calls that
   * take an access token (`/me`, sessions, mfa settings, logout's `everywhere`) refuse a bound
   * token without `Authorization: DPoP` and a proof by that key for that token (401,
   * `WWW-Authenticate: DPoP error="invalid_token"`; a bad proof: `invalid_dpop_proof`). Proofs
   * are checked field by field (ES256 only, public `jwk`, `htm`, `htu`, `iat` ±`iatWindow`,
   * `ath`, `nonce`), and a `jti` is accepted once. A token call with a bad proof is answered
   * `400 invalid_dpop_proof` before it changes anything. Calls without a proof still get plain
   * bearer tokens. `true` is `{}`.
   *
   * @default false
   * @example true
   * @example { requireNonce: true } // every proof must carry the server's DPoP-Nonce
   */
  dpop?: boolean | DpopServerOptions;
  /**
   * How much guessing the server answers before `429 { error: 'too_many_attempts' }` with
   * `Retry-After` (seconds). Each try is counted before it is checked, so parallel guesses
   * cannot outrun the count; a right password or code is not a failure.
   *
   * @default { passwordsPerAccount: 10, passwordsPerAddress: 100, codesPerAccount: 5, window: 900 }
   * @example { codesPerAccount: 3 }
   * @example { passwordsPerAccount: Infinity, passwordsPerAddress: Infinity } // no password limits
   */
  limits?: GuessingLimits;
}

/**
 * Guessing limits of {@link createAuthServer}: tries per fixed window, on the `now` clock, from
 * the first try. `reset()` forgets every count.
 *
 * @example
 * createAuthServer({ baseUrl, users, limits: { passwordsPerAccount: 3, window: 60 } });
 */
export interface GuessingLimits {
  /**
   * Wrong passwords per email (trimmed, any case) per window, known or not, so the answer tells
   * nobody which emails have accounts. A right password clears the email's count.
   *
   * @default 10
   * @example 3
   */
  passwordsPerAccount?: number;
  /**
   * Wrong passwords per client address per window. The address is the request's
   * `X-Forwarded-For` as sent (a test sets it to stand for a client), and requests without it
   * share one bucket. A right password gives its try back.
   *
   * @default 100
   * @example Infinity
   */
  passwordsPerAddress?: number;
  /**
   * Wrong second-factor codes per account per window, across login challenges (a new password
   * login is not new tries) and confirm / disable together. A right code clears the count.
   *
   * @default 5
   * @example 10
   */
  codesPerAccount?: number;
  /**
   * The window, in seconds from a key's first try; `Retry-After` counts down to its end.
   *
   * @default 900
   * @example 60
   */
  window?: number;
}

/**
 * How the mock checks DPoP proofs.
 *
 * @example
 * createAuthServer({ baseUrl, dpop: { requireNonce: true, nonceTtl: 60 } });
 */
export interface DpopServerOptions {
  /**
   * Proofs must carry the nonce the server hands out in `DPoP-Nonce`; without it (or with an old
   * one) a token endpoint answers `400 { error: 'use_dpop_nonce' }` and a resource `401` with
   * `WWW-Authenticate: DPoP error="use_dpop_nonce"`, both with the current nonce.
   *
   * @default false
   * @example true
   */
  requireNonce?: boolean;
  /**
   * Seconds after which the server's nonce changes (on the `now` clock); the old one is refused.
   *
   * @default 300
   * @example 60
   */
  nonceTtl?: number;
  /**
   * How far, in seconds, a proof's `iat` may be from the server's clock either way.
   *
   * @default 60
   * @example 5
   */
  iatWindow?: number;
}

/** Paths of the mock server's endpoints. */
export interface AuthEndpoints {
  login: string;
  register: string;
  refresh: string;
  logout: string;
  me: string;
  /** `POST { mfaToken, code }`: the second login step. */
  mfa: string;
  /** `GET` (bearer): `{ enabled, pending }`. */
  mfaStatus: string;
  /** `POST` (bearer): a new TOTP secret, `{ secret, otpauthUrl }`. */
  mfaEnroll: string;
  /** `POST { code }` (bearer): turns the enrolled secret on. */
  mfaConfirm: string;
  /** `POST { code }` (bearer): turns the second factor off. */
  mfaDisable: string;
  /** `GET` lists the signed-in devices (bearer and cookie); `DELETE <sessions>/<id>` signs one out. */
  sessions: string;
}

/**
 * Counters of what the server did; a live object, updated in place and zeroed by `reset()`.
 *
 * @example
 * expect(auth.stats.refreshes).toBe(1);
 */
export interface AuthServerStats {
  /** Successful logins. */
  logins: number;
  /** Successful registrations. */
  registrations: number;
  /** Successful refreshes (rotations). */
  refreshes: number;
  /** Refreshes answered 401: no cookie, unknown, expired, revoked or reused token. */
  rejectedRefreshes: number;
  /** Rotated tokens presented after the reuse interval (each revoked a family). */
  reuseDetected: number;
  /** Calls to the logout endpoint. */
  logouts: number;
}

/**
 * A mock auth server, made of MSW handlers.
 *
 * @example
 * const auth = createAuthServer({ baseUrl: 'https://api.example.com', users });
 * const server = setupServer(...auth.handlers);
 */
export interface AuthServer {
  /**
   * The MSW request handlers; pass them to `setupServer` or `setupWorker`.
   *
   * @example
   * server.use(...auth.handlers);
   */
  handlers: HttpHandler[];
  /**
   * Live counters.
   *
   * @example
   * expect(auth.stats).toMatchObject({ logins: 1, reuseDetected: 0 });
   */
  stats: AuthServerStats;
  /**
   * Synchronously zeroes `stats`, forgets refresh tokens, registered users and the guessing
   * counts (`limits`), and restores the seeded users. Access tokens are stateless JWTs and stay valid until they expire.
   *
   * @example
   * afterEach(() => auth.reset());
   */
  reset(): void;
  /**
   * Revokes every refresh token family, as a server-side session expiry would.
   *
   * @example
   * auth.revokeAll(); // the next refresh answers 401
   */
  revokeAll(): void;
  /**
   * Signs an access token for a known user without a login (no refresh token, no stats).
   * Rejects when no user has that email. `jkt` binds it to a DPoP key (`cnf.jkt`).
   *
   * @example
   * const { accessToken } = await auth.issueTokens('alice@example.com');
   */
  issueTokens(email: string, options?: { jkt?: string }): Promise<{ accessToken: string; expiresIn: number }>;
}
