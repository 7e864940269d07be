import { delay, http, HttpResponse } from 'msw';
import type { Account, ServerContext } from './context';
import { clearRefreshCookie, isSecureOrigin, setRefreshCookie } from './cookies';
import { createDpopVerifier } from './dpop';
import { randomToken } from './encoding';
import { resolveEndpoints } from './endpoints';
import { importHmacKey, signJwt, verifyJwt, type JwtClaims } from './jwt';
import { createLimiter } from './limiter';
import { createMfa } from './mfa';
import { mfaHandlers } from './mfa-handlers';
import { createRefreshTokenStore } from './refresh-tokens';
import { error, invalidToken, noContent, NO_STORE, readJsonObject } from './responses';
import { sessionHandlers } from './session-handlers';
import type { AuthServer, AuthServerOptions, AuthServerStats } from './types';
import { createUserDirectory, emailKey, type StoredUser } from './users';

/**
 * Creates a mock auth server as MSW handlers: login, register, refresh (rotating refresh tokens
 * with reuse detection, in an httpOnly cookie), logout, a protected `GET /me`, a TOTP second
 * factor (enrol, confirm, disable, and login's `mfa_required` challenge), the signed-in
 * devices (list, revoke) and, with `dpop`, RFC 9449 proofs and key-bound tokens. It signs real
 * HS256 JWTs and stores only password and refresh token hashes.
 *
 * @example
 * import { setupServer } from 'msw/node';
 * import { createAuthServer } from 'tokenkeeper/msw';
 *
 * const auth = createAuthServer({
 *   baseUrl: 'https://api.example.com',
 *   users: [{ email: 'alice@example.com', password: 'wonderland', name: 'Alice' }],
 * });
 * const server = setupServer(...auth.handlers);
 * beforeAll(() => server.listen());
 * afterEach(() => auth.reset());
 * afterAll(() => server.close());
 */
export function createAuthServer(options: AuthServerOptions): AuthServer {
  const accessTokenTtl = options.accessTokenTtl ?? 900;
  const refreshTokenTtl = options.refreshTokenTtl ?? 1_209_600;
  const cookieName = options.cookieName ?? 'tk_refresh';
  const latency = options.latency ?? 0;
  // Read at call time, so vi.useFakeTimers() steers the default clock too.
  const now = (): number => (options.now ?? Date.now)();
  const urls = resolveEndpoints(options.baseUrl, options.endpoints ?? {});
  // Set by login, register and refresh, sent to refresh and logout: Secure only if all keep it.
  const secure = [urls.login, urls.register, urls.refresh, urls.logout].every(isSecureOrigin);
  const cookie = { name: cookieName, path: urls.cookiePath, secure };
  const secret = options.secret ?? randomToken(32);
  let key: Promise<CryptoKey> | undefined;
  const signingKey = (): Promise<CryptoKey> => (key ??= importHmacKey(secret));

  const users = createUserDirectory(options.users ?? []);
  const refreshTokens = createRefreshTokenStore({
    ttl: refreshTokenTtl,
    reuseInterval: options.reuseInterval ?? 10,
    now,
  });
  const mfa = createMfa({ secret, now });
  const limits = { passwordsPerAccount: 10, passwordsPerAddress: 100, codesPerAccount: 5, window: 900, ...options.limits };
  const limiter = createLimiter(now, limits.window);
  const dpop = options.dpop ? createDpopVerifier({ now, options: options.dpop === true ? {} : options.dpop }) : undefined;
  const stats: AuthServerStats = {
    logins: 0,
    registrations: 0,
    refreshes: 0,
    rejectedRefreshes: 0,
    reuseDetected: 0,
    logouts: 0,
  };

  /**
   * `sessionId` is the refresh family's id (`sid`), so an API can tell a session's tokens apart;
   * `jkt` binds the token to a DPoP key (RFC 9449 §6: `cnf.jkt`).
   */
  async function accessToken(user: StoredUser, sessionId?: string, jkt?: string): Promise<string> {
    const { email, ...profile } = user.profile;
    const iat = Math.floor(now() / 1000);
    const exp = iat + accessTokenTtl;
    const claims: JwtClaims = {
      ...profile, sub: user.id, email, iat, exp, jti: randomToken(16),
      ...(sessionId ? { sid: sessionId } : {}), ...(jkt ? { cnf: { jkt } } : {}),
    };
    return signJwt(await signingKey(), claims);
  }

  /** A token answer's body: `token_type: 'DPoP'` for a bound token (plain answers stay as they were). */
  const tokenBody = (token: string, user: StoredUser, jkt: string | undefined) =>
    ({ accessToken: token, expiresIn: accessTokenTtl, ...(jkt ? { token_type: 'DPoP' } : {}), user: user.profile });

  async function bearerUser(request: Request): Promise<StoredUser | undefined> {
    const found = await bearer(request);
    return found instanceof Response ? undefined : found.user;
  }

  /** The account behind the `Authorization` header (with its DPoP proof for a bound token), or the 401. */
  async function bearer(request: Request): Promise<Account | Response> {
    const [, scheme = '', token = ''] = /^(Bearer|DPoP)\s+(\S+)\s*$/i.exec(request.headers.get('Authorization') ?? '') ?? [];
    const claims = token ? await verifyJwt(await signingKey(), token, now()) : null;
    const user = claims ? await users.findById(claims.sub) : undefined;
    if (!claims || !user) return invalidToken();
    const jkt = (claims['cnf'] as { jkt?: unknown } | undefined)?.jkt;
    if (dpop && (jkt !== undefined || scheme.toLowerCase() === 'dpop')) {
      const refusal = await dpop.resourceRequest(request, token, scheme, typeof jkt === 'string' ? jkt : undefined);
      if (refusal) return refusal;
    } else if (jkt !== undefined || scheme.toLowerCase() !== 'bearer') return invalidToken();
    return typeof claims['sid'] === 'string' ? { user, sessionId: claims['sid'] } : { user };
  }

  /** Account settings need more than a valid token: its session must not have been signed out. */
  async function account(request: Request): Promise<Account | Response> {
    const found = await bearer(request);
    if (found instanceof Response) return found;
    if (found.sessionId !== undefined && !refreshTokens.isLive(found.sessionId, found.user.id)) return invalidToken();
    return found;
  }

  /** A token call's DPoP proof, checked before the call changes anything (a refresh rotates, a challenge is spent). */
  const tokenProof = async (request: Request): Promise<{ jkt?: string } | Response> => (dpop ? dpop.tokenRequest(request) : {});

  // A browser sends the cookie cross-origin only with credentials: 'include', but MSW in Node
  // attaches its cookie jar to every request; this check stands in for the browser.
  function presentedToken(request: Request, cookies: Record<string, string>): string | undefined {
    return request.credentials === 'include' ? cookies[cookieName] || undefined : undefined;
  }

  async function session(user: StoredUser, status: number, request: Request, jkt?: string): Promise<Response> {
    const refreshToken = await refreshTokens.issue(user.id, request.headers.get('User-Agent'));
    const token = await accessToken(user, refreshToken.sessionId, jkt);
    return HttpResponse.json(tokenBody(token, user, jkt), {
      status,
      headers: { ...NO_STORE, ...dpop?.nonceHeader(), 'Set-Cookie': setRefreshCookie(cookie, refreshToken.token, refreshTokenTtl) },
    });
  }

  async function wait(): Promise<void> {
    if (latency > 0) await delay(latency);
  }

  const context: ServerContext = {
    urls,
    users,
    refreshTokens,
    mfa,
    stats,
    limiter,
    limits,
    wait,
    account,
    tokenProof,
    presentedToken,
    session,
    clearCookie: () => clearRefreshCookie(cookie),
  };

  const handlers = [
    http.post(urls.login, async ({ request }) => {
      await wait();
      const proof = await tokenProof(request);
      if (proof instanceof Response) return proof;
      const body = await readJsonObject(request);
      if (!body || typeof body['email'] !== 'string' || typeof body['password'] !== 'string') {
        return error(400, 'validation');
      }
      // Counted before the check, per email whether or not it has an account (the same answers
      // either way), and per address: X-Forwarded-For stands for it here, else one shared bucket.
      const account = `password:${emailKey(body['email'])}`;
      const address = `address:${request.headers.get('X-Forwarded-For') ?? ''}`;
      for (const [key, limit] of [[account, limits.passwordsPerAccount], [address, limits.passwordsPerAddress]] as const) {
        const left = limiter.take(key, limit);
        if (left instanceof Response) return left;
      }
      const user = await users.authenticate(body['email'], body['password']);
      if (!user) return error(401, 'invalid_credentials');
      limiter.forget(account);
      limiter.give(address);
      if (mfa.state(user)?.enabled) {
        // 401, not 200: a client that knows nothing of a second factor must not take this for a session.
        const mfaToken = await mfa.challenge(user.id);
        return error(401, 'mfa_required', { mfa_required: true, mfaToken, mfaMethods: ['totp'] });
      }
      stats.logins++;
      return session(user, 200, request, proof.jkt);
    }),

    http.post(urls.register, async ({ request }) => {
      await wait();
      const proof = await tokenProof(request);
      if (proof instanceof Response) return proof;
      const body = await readJsonObject(request);
      if (!body) return error(400, 'validation');
      const { email, password, ...profile } = body;
      if (typeof email !== 'string' || typeof password !== 'string') return error(400, 'validation');
      if (!email.includes('@') || password.length < 8) return error(422, 'validation');
      const user = await users.register(email, password, profile);
      if (!user) return error(409, 'conflict');
      stats.registrations++;
      return session(user, 201, request, proof.jkt);
    }),

    http.post(urls.refresh, async ({ request, cookies }) => {
      await wait();
      const proof = await tokenProof(request);
      if (proof instanceof Response) return proof;
      const presented = presentedToken(request, cookies);
      const result = presented ? await refreshTokens.rotate(presented) : null;
      const user = result?.ok ? await users.findById(result.userId) : undefined;
      if (!result?.ok || !user) {
        stats.rejectedRefreshes++;
        if (result?.ok === false && result.reason === 'reused') stats.reuseDetected++;
        return error(401, 'unauthorized');
      }
      stats.refreshes++;
      // `user` as login answers it, so the app has one shape of user before and after a reload.
      return HttpResponse.json(tokenBody(await accessToken(user, result.sessionId, proof.jkt), user, proof.jkt), {
        headers: { ...NO_STORE, ...dpop?.nonceHeader(), 'Set-Cookie': setRefreshCookie(cookie, result.token, refreshTokenTtl) },
      });
    }),

    http.post(urls.logout, async ({ request, cookies }) => {
      await wait();
      const presented = presentedToken(request, cookies);
      const body = await readJsonObject(request);
      let userId = presented ? await refreshTokens.revoke(presented) : null;
      if (body?.['everywhere'] === true) {
        userId ??= (await bearerUser(request))?.id ?? null;
        if (userId) refreshTokens.revokeUser(userId);
      }
      stats.logouts++;
      // Always 204 and a cleared cookie: logging out must succeed even with a dead session.
      return noContent({ 'Set-Cookie': clearRefreshCookie(cookie) });
    }),

    http.get(urls.me, async ({ request }) => {
      await wait();
      const found = await bearer(request);
      if (found instanceof Response) return found;
      return HttpResponse.json({ user: found.user.profile }, { headers: { ...NO_STORE, ...dpop?.nonceHeader() } });
    }),

    ...mfaHandlers(context),
    ...sessionHandlers(context),
  ];

  return {
    handlers,
    stats,
    reset() {
      for (const name of Object.keys(stats) as Array<keyof AuthServerStats>) stats[name] = 0;
      refreshTokens.clear();
      users.reset();
      mfa.reset();
      limiter.clear();
      dpop?.reset();
    },
    revokeAll() {
      refreshTokens.revokeAll();
    },
    async issueTokens(email, { jkt } = {}) {
      const user = await users.findByEmail(email);
      if (!user) throw new Error(`createAuthServer: no user with email "${email}"`);
      return { accessToken: await accessToken(user, undefined, jkt), expiresIn: accessTokenTtl };
    },
  };
}
