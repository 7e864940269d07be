// The auth server as a plain request handler: routes and counters. Users and sessions live in
// the store, keys come from configuration: an instance decides nothing alone, so any number of
// them can share one store. It does not listen; see index.mjs for that.
import { createAccessTokens } from './access-tokens.mjs';
import { isPlainHttpLoopback } from './dev-cookies.mjs';
import { createDpop } from './dpop.mjs';
import { CSRF_CHECKED, CSRF_HEADER, createCsrf } from './csrf.mjs';
import { HttpError, accessToken as presentedAccessToken, handleCors, parseCookies, readJson, sendJson } from './http.mjs';
import { createLoginLimits } from './login-limits.mjs';
import { createMfa } from './mfa.mjs';
import { mfaRoutes } from './mfa-routes.mjs';
import { hashPassword, verifyPassword } from './passwords.mjs';
import { createRefreshTokens } from './refresh-tokens.mjs';
import { sessionRoutes } from './session-routes.mjs';
import { codeAt, PERIOD } from './totp.mjs';
import { refusedOriginHint } from './origins.mjs';
import { loadSigningKey } from './signing-keys.mjs';
import { createMemoryStore } from './stores/memory-store.mjs';

/** @typedef {import('./stores/index.d.mts').StoredUser} StoredUser */

export const DEMO_USER = { email: 'demo@example.com', password: 'demo-password', name: 'Demo User' };

/**
 * @typedef {object} AuthAppOptions
 * @property {number} [accessTokenTtl] seconds, default 60
 * @property {number} [refreshTokenTtl] seconds, default 86400
 * @property {number} [reuseInterval] seconds, default 10: how long the refresh token just
 *   replaced still yields a fresh rotation instead of counting as reuse
 * @property {readonly string[]} [allowedOrigins] origins that get CORS headers, default none
 * @property {'HS256' | 'ES256'} [jwtAlg] default 'HS256'
 * @property {string | Uint8Array} [secret] HS256 key, default random (tokens die with the process)
 * @property {string | import('jose').JWK} [privateKey] ES256 key (JWK or PEM), default generated
 * @property {import('./stores/index.d.mts').AuthStore} [store] where users and sessions live,
 *   default a memory store on `now`; the caller closes a store it passes
 * @property {{ email: string, password: string, name?: string }[]} [users] seed users, default [DEMO_USER]
 * @property {() => number} [now] clock, epoch ms (inject one in tests)
 * @property {string} [cookieName] default 'tk_refresh'
 * @property {number} [maxBodyBytes] default 16 KB
 * @property {(line: string) => void} [log] receives one line per auth call and per refused
 *   origin (never a token or password); default: no logging
 * @property {boolean} [logDemoTotp] also log the demo user's current TOTP code whenever it is
 *   asked for one (enrol, status, login, a wrong code), so a person can try 2FA without a phone; default false
 * @property {string} [issuer] the name authenticator apps show, default 'tokenkeeper example'
 * @property {boolean} [crossSite] the SPA is on another site: the refresh cookie is
 *   `SameSite=None` (and `Partitioned`), and the calls that use it need the double-submit CSRF
 *   header; default false (`SameSite=Strict`, no CSRF token needed)
 * @property {boolean} [partitioned] with `crossSite`, mark the cookies `Partitioned` (CHIPS), so
 *   browsers that block third-party cookies keep them for the SPA's site; default true
 * @property {boolean | import('./dpop.mjs').DpopOptions} [dpop] DPoP (RFC 9449), default false (main.mjs:
 *   on unless DPOP=0): a token call with a valid proof gets a token bound to its key; calls without one get bearer tokens
 * @property {import('./index.d.mts').GuessingLimits} [limits] tries before `429` + `Retry-After`, default
 *   10 passwords per email and 100 per client address, 5 codes per account, per 900-second window
 */

/** The calls that issue access tokens: a DPoP proof on them binds the token to its key. */
const TOKEN_CALLS = new Set(['POST /auth/login', 'POST /auth/register', 'POST /auth/refresh-token', 'POST /auth/mfa/verify']);

const zeroStats = () => ({
  logins: 0, registrations: 0, refreshes: 0, rotations: 0, rejectedRefreshes: 0, reuseDetected: 0, logouts: 0, meRequests: 0,
});

/** @param {AuthAppOptions} [options] */
export function createAuthApp(options = {}) {
  const {
    accessTokenTtl = 60, refreshTokenTtl = 86400, reuseInterval = 10, allowedOrigins = [], jwtAlg, secret, privateKey,
    users: seedUsers = [DEMO_USER], now = Date.now, cookieName = 'tk_refresh', maxBodyBytes = 16 * 1024, log,
    logDemoTotp = false, issuer = 'tokenkeeper example', crossSite = false, partitioned = true, dpop: dpopOptions = false,
  } = options;
  const {
    passwordsPerAccount = 10, passwordsPerAddress = 100, codesPerAccount = 5, window = 900,
    clientAddress = (req) => req.socket.remoteAddress ?? '',
  } = options.limits ?? {};
  const store = options.store ?? createMemoryStore({ now });
  const refreshTokens = createRefreshTokens({ store, ttl: refreshTokenTtl, reuseInterval, now });
  const mfa = createMfa({
    store, now, codesPerAccount, windowMs: window * 1000,
    key: () => /** @type {NonNullable<typeof signingKey>} */ (signingKey).challengeKey,
  });
  const loginLimits = createLoginLimits({ store, perAccount: passwordsPerAccount, perAddress: passwordsPerAddress, windowSeconds: window });
  // The nonce key is derived from the same configured secret, so every instance agrees on nonces.
  const dpop = dpopOptions
    ? createDpop({ store, now, key: () => /** @type {NonNullable<typeof signingKey>} */ (signingKey).challengeKey, options: dpopOptions === true ? {} : dpopOptions })
    : undefined;
  /** The DPoP key a token call's proof was made with: its token is bound to it. @type {WeakMap<object, string>} */
  const proofKeys = new WeakMap();
  /** @type {ReturnType<typeof createAccessTokens>} set by `ready`, which every route awaits */
  let accessTokens;
  const stats = zeroStats();
  /** What the log line of a request says after its status: who, or why not. @type {WeakMap<object, string>} */
  const notes = new WeakMap();

  // Path=/auth: the refresh token travels only to the auth endpoints, never to /api. Strict: no
  // other site can make the browser send it. Cross-site, the SPA's own requests are the other
  // site's, so None, and the CSRF check takes Strict's place.
  const sameSite = crossSite ? `None${partitioned ? '; Partitioned' : ''}` : 'Strict';
  // Secure, except for a page on plain http://localhost (dev-cookies.mjs: WebKit drops it there).
  // Cross-site keeps it: SameSite=None needs Secure in every browser.
  let toldPlainHttp = false;
  const secure = (/** @type {import('./http.mjs').Req} */ req) => {
    if (crossSite || !isPlainHttpLoopback(req)) return '; Secure';
    if (!toldPlainHttp) {
      toldPlainHttp = true;
      log?.(`cookies: a page on ${req.headers.origin} over plain http: the refresh cookie goes without Secure to loopback pages ` +
        '(Safari/WebKit drop a Secure cookie on http://localhost); https and every other host keep Secure');
    }
    return '';
  };
  const cookie = (/** @type {import('./http.mjs').Req} */ req, /** @type {string} */ value, /** @type {number} */ maxAge) =>
    `${cookieName}=${value}; HttpOnly${secure(req)}; SameSite=${sameSite}; Path=/auth; Max-Age=${maxAge}`;
  const csrf = crossSite ? createCsrf({ partitioned }) : undefined;
  const corsHeaders = [...(crossSite ? [CSRF_HEADER] : []), ...(dpop ? ['DPoP'] : [])];
  const clearCookie = (/** @type {import('./http.mjs').Req} */ req) => cookie(req, '', 0);
  const publicUser = (/** @type {StoredUser} */ { id, email, name }) => ({ id, email, name });
  /**
   * A token answer: bound to the request's DPoP key when its proof gave one (`token_type: 'DPoP'`).
   * @param {import('./http.mjs').Req} req @param {StoredUser} user @param {string} familyId
   */
  async function tokenAnswer(req, user, familyId) {
    const jkt = proofKeys.get(req);
    const token = await accessTokens.issue(user, familyId, jkt);
    return { accessToken: token, expiresIn: accessTokenTtl, ...(jkt ? { token_type: 'DPoP' } : {}), user: publicUser(user) };
  }

  /**
   * Creates a user with a store-assigned id; `null` when the email is taken.
   * @param {{ email: string, password: string, name?: string }} input
   */
  async function addUser({ email, password, name }) {
    const passwordHash = await hashPassword(password);
    return store.createUser({ email, name: name || email.split('@')[0] || email, passwordHash });
  }
  // Idempotent: every instance seeds at start, the first one creates, the others find it there.
  /** @param {{ email: string, password: string, name?: string }} input */
  const seed = async (input) => (await store.findUserByEmail(input.email)) ?? (await addUser(input));
  // Checked when the email is unknown, so a login takes as long either way and
  // response times do not reveal which emails have accounts.
  let dummyHash = '';
  /** @type {import('./signing-keys.mjs').SigningKey | undefined} */
  let signingKey;
  const ready = (async () => {
    signingKey = await loadSigningKey({ ...(jwtAlg ? { alg: jwtAlg } : {}), ...(secret ? { secret } : {}), ...(privateKey ? { privateKey } : {}) });
    accessTokens = createAccessTokens({ key: signingKey, store, ttl: accessTokenTtl, now });
    await Promise.all([hashPassword('dummy').then((h) => (dummyHash = h)), ...seedUsers.map(seed)]);
  })();

  /** @param {import('./http.mjs').Req} req */
  async function credentials(req) {
    const body = /** @type {Record<string, unknown> | undefined} */ (await readJson(req, maxBodyBytes));
    const { email, password, name } = body ?? {};
    if (typeof email !== 'string' || typeof password !== 'string' || (name !== undefined && typeof name !== 'string')) {
      throw new HttpError(400, 'invalid_request', { message: 'expected JSON { email, password }' });
    }
    return { email: email.trim(), password, ...(name ? { name } : {}) };
  }

  /**
   * Starts a session: a new refresh token family plus an access token.
   * @param {import('./http.mjs').Req} req @param {import('./http.mjs').Res} res @param {StoredUser} user
   */
  async function startSession(req, res, user, status = 200) {
    const { token, familyId } = await refreshTokens.issue(user.id, req.headers['user-agent']);
    res.setHeader('Set-Cookie', cookie(req, token, refreshTokenTtl));
    notes.set(req, user.email);
    sendJson(res, status, await tokenAnswer(req, user, familyId));
  }

  /**
   * The user of the request's access token; a token bound to a DPoP key also needs a proof by that key.
   * @param {import('./http.mjs').Req} req
   */
  async function authenticate(req) {
    const presented = presentedAccessToken(req);
    const claims = await accessTokens.verify(presented?.token ?? null);
    const user = claims ? await store.findUserById(claims.sub) : undefined;
    const refusal = () => new HttpError(401, 'invalid_token', {}, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    if (!presented || !claims || !user) throw refusal();
    const jkt = claims.cnf?.jkt;
    if (jkt !== undefined || presented.scheme.toLowerCase() !== 'bearer') {
      // Without DPoP on, a bound token (from another configuration) or the DPoP scheme is just invalid.
      if (!dpop) throw refusal();
      await dpop.resourceRequest(req, new URL(req.url ?? '/', 'http://localhost').pathname, presented, jkt);
    }
    return { claims, user };
  }

  /** @param {import('./stores/index.d.mts').Family} family */
  const isLive = (family) => !family.revoked && family.lastUsedAt + refreshTokenTtl * 1000 > now();

  /**
   * Account settings need more than a valid access token: its session must not have been signed
   * out since (a revoked device keeps its token until it expires, but no say over the account).
   * @param {import('./http.mjs').Req} req
   */
  async function account(req) {
    const { claims, user } = await authenticate(req);
    const family = claims.sid ? await store.getFamily(claims.sid) : undefined;
    if (!claims.sid || !family || !isLive(family) || family.userId !== user.id) {
      throw new HttpError(401, 'invalid_token', {}, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    }
    return { user, sessionId: claims.sid };
  }

  /** @type {import('./account-context.d.mts').AccountContext} */
  const accountContext = {
    store, mfa, refreshTokens, cookieName, issuer, now, account, startSession, isLive,
    clearCookie,
    signedIn: () => void stats.logins++,
    async readBody(req) {
      const body = await readJson(req, maxBodyBytes);
      if (body === undefined) return {};
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'invalid_request', { message: 'expected a JSON object' });
      return /** @type {Record<string, unknown>} */ (body);
    },
    demoCode(user, totpSecret) {
      if (!log || !logDemoTotp || user.email.toLowerCase() !== DEMO_USER.email) return;
      const at = now();
      const left = PERIOD - Math.floor(at / 1000) % PERIOD;
      log(`demo: ${user.email}'s 2FA code is ${codeAt(totpSecret, at)} (the next one in ${left} s; the one before and after also work)`);
    },
  };

  /** @type {Record<string, RouteFn>} */
  const routes = {
    async 'POST /auth/login'(req, res) {
      const { email, password } = await credentials(req);
      const address = clientAddress(req);
      await loginLimits.attempt(email, address);
      const user = await store.findUserByEmail(email);
      const valid = await verifyPassword(password, user?.passwordHash ?? dummyHash);
      if (!user || !valid) throw new HttpError(401, 'invalid_credentials');
      await loginLimits.succeeded(email, address);
      const mfaState = await store.getMfa(user.id);
      if (mfaState?.enrolled) {
        // 401, not 200: a client that knows nothing of a second factor must not take this for a session.
        const mfaToken = await mfa.challenge(user.id);
        accountContext.demoCode(user, mfaState.secret);
        throw new HttpError(401, 'mfa_required', { mfa_required: true, mfaToken, mfaMethods: ['totp'] });
      }
      stats.logins++;
      await startSession(req, res, user);
    },

    async 'POST /auth/register'(req, res) {
      const input = await credentials(req);
      if (!/^[^@\s]+@[^@\s]+$/.test(input.email)) throw new HttpError(422, 'invalid_email');
      if (input.password.length < 8) throw new HttpError(422, 'weak_password', { message: 'at least 8 characters' });
      // The store decides atomically, so two instances cannot both register one email.
      const user = await addUser(input);
      if (!user) throw new HttpError(409, 'email_taken');
      stats.registrations++;
      await startSession(req, res, user, 201);
    },

    async 'POST /auth/refresh-token'(req, res) {
      const token = parseCookies(req.headers.cookie)[cookieName];
      const result = token ? await refreshTokens.rotate(token) : /** @type {const} */ ({ ok: false, reason: 'missing' });
      const user = result.ok ? await store.findUserById(result.userId) : undefined;
      if (!result.ok || !user) {
        stats.rejectedRefreshes++;
        if (!result.ok && result.reason === 'reused') stats.reuseDetected++;
        res.setHeader('Set-Cookie', clearCookie(req)); // a dead cookie is useless; stop the browser sending it
        throw new HttpError(401, 'invalid_refresh_token', { reason: result.ok ? 'unknown' : result.reason });
      }
      stats.refreshes++;
      if (result.rotated) stats.rotations++;
      res.setHeader('Set-Cookie', cookie(req, result.token, refreshTokenTtl));
      notes.set(req, user.email);
      // `user` as login gives it, so the app has one shape of user before and after a reload.
      sendJson(res, 200, await tokenAnswer(req, user, result.familyId));
    },

    async 'POST /auth/logout'(req, res) {
      // Logout must always work, so a bad body is ignored rather than rejected.
      const body = /** @type {{ everywhere?: unknown } | undefined} */ (
        await readJson(req, maxBodyBytes).catch(() => undefined)
      );
      const token = parseCookies(req.headers.cookie)[cookieName];
      const cookieUser = token ? await refreshTokens.revoke(token) : undefined;
      if (body?.everywhere === true) {
        // The cookie or a (still valid) access token identifies whose sessions to end.
        // A token bound to a DPoP key counts only with its proof: a copied one cannot end every session.
        const bearerUser = await authenticate(req).then(({ user }) => user.id, () => undefined);
        for (const userId of new Set([cookieUser, bearerUser])) if (userId) await refreshTokens.revokeUser(userId);
      }
      stats.logouts++;
      res.setHeader('Set-Cookie', clearCookie(req));
      sendJson(res, 204);
    },

    async 'GET /api/me'(req, res) {
      stats.meRequests++;
      const { claims, user } = await authenticate(req);
      sendJson(res, 200, { user: publicUser(user), expiresAt: claims.exp * 1000 });
    },

    // Demo helper: forces the next API call to 401, so the client's silent refresh shows.
    async 'POST /api/expire-access-tokens'(req, res) {
      await authenticate(req);
      await accessTokens.expireAll();
      sendJson(res, 204);
    },

    // The public half of the ES256 key, for API servers (examples/api-server). Never for HS256.
    'GET /.well-known/jwks.json'(_req, res) {
      const jwks = accessTokens.jwks();
      if (!jwks) throw new HttpError(404, 'not_found');
      sendJson(res, 200, jwks, { 'Cache-Control': 'public, max-age=300' });
    },

    'GET /api/echo-headers'(req, res) {
      sendJson(res, 200, req.headers);
    },

    // Test helpers; a real server would not expose these.
    'GET /__stats'(_req, res) {
      sendJson(res, 200, stats);
    },
    'POST /__reset'(_req, res) {
      Object.assign(stats, zeroStats());
      sendJson(res, 204);
    },

    ...mfaRoutes(accountContext),
    ...sessionRoutes(accountContext),
    ...csrf?.routes,
  };
  const findRoute = routeFinder(csrf ? checked(routes, csrf.check) : routes);

  /**
   * A page on another origin that CORS will refuse says so in the log: the browser only tells
   * its app "network error". Same-origin pages (STATIC_DIR) send Origin too and are fine, and so
   * are pages behind a dev-server proxy: their Origin is the proxy's, not this Host, but the
   * browser called its own origin (`Sec-Fetch-Site: same-origin`), so no CORS applies.
   * @param {import('./http.mjs').Req} req @param {string} pathname
   */
  function logRefusedOrigin(req, pathname) {
    const { origin, host } = req.headers;
    const sameOrigin = origin === `http://${host}` || origin === `https://${host}` || req.headers['sec-fetch-site'] === 'same-origin';
    if (!log || !origin || allowedOrigins.includes(origin) || sameOrigin) return;
    const method = req.headers['access-control-request-method'] ?? req.method;
    log(`cors: refused origin ${origin} (${method} ${pathname}): ${refusedOriginHint(origin, allowedOrigins)}`);
  }

  /** @param {import('./http.mjs').Req} req @param {import('./http.mjs').Res} res */
  async function handle(req, res) {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    try {
      logRefusedOrigin(req, pathname);
      if (handleCors(req, res, allowedOrigins, corsHeaders)) return;
      const found = findRoute(req.method ?? 'GET', pathname);
      if (!found) throw new HttpError(404, 'not_found');
      await ready;
      if (dpop) {
        for (const [name, value] of Object.entries(dpop.nonceHeaders())) res.setHeader(name, value);
        // Before the route: a refused proof must not rotate a cookie, spend a challenge or create a user.
        const jkt = TOKEN_CALLS.has(`${req.method} ${pathname}`) ? await dpop.tokenRequest(req, pathname) : undefined;
        if (jkt) proofKeys.set(req, jkt);
      }
      await found.route(req, res, found.params);
    } catch (error) {
      if (res.headersSent) return void res.end();
      if (error instanceof HttpError) {
        const reason = typeof error.extra['reason'] === 'string' ? ` (${error.extra['reason']})` : '';
        notes.set(req, `${error.code}${reason}`);
        return sendJson(res, error.status, { error: error.code, ...error.extra }, error.headers);
      }
      console.error(error);
      sendJson(res, 500, { error: 'server_error' });
    } finally {
      if (log && pathname.startsWith('/auth/') && req.method !== 'OPTIONS') {
        const note = notes.get(req);
        log(`auth: ${req.method} ${pathname} ${res.statusCode}${note ? ` ${note}` : ''}`);
      }
    }
  }

  return {
    handle,
    /** Resolves once the signing key is loaded and seed users are in the store. */
    ready,
    store,
    /** The signing key's algorithm and id; `generated`: none was configured, tokens die with the process. */
    get signingKey() {
      if (!signingKey) throw new Error('signingKey is known once `ready` resolves');
      return { alg: signingKey.alg, kid: signingKey.kid, generated: signingKey.generated };
    },
    /** Live counters (the same object /__stats returns). */
    stats,
    /** Zeroes the counters; users and sessions stay. */
    reset: () => void Object.assign(stats, zeroStats()),
    /** Same as POST /api/expire-access-tokens. */
    expireAccessTokens: async () => {
      await ready;
      await accessTokens.expireAll();
    },
  };
}

/**
 * The routes, with `check` run first on those in CSRF_CHECKED.
 * @typedef {(req: import('./http.mjs').Req, res: import('./http.mjs').Res, params: Record<string, string>) => Promise<void> | void} RouteFn
 * @param {Record<string, RouteFn>} routes @param {(req: import('./http.mjs').Req) => void} check
 * @returns {Record<string, RouteFn>}
 */
function checked(routes, check) {
  return Object.fromEntries(Object.entries(routes).map(([key, route]) => [
    key,
    CSRF_CHECKED.has(key) ? /** @type {RouteFn} */ ((req, res, params) => (check(req), route(req, res, params))) : route,
  ]));
}

/**
 * Finds the route for a method and path: exact keys first (`GET /api/me`), then keys with one
 * `:name` segment (`DELETE /auth/sessions/:id`), whose value arrives decoded in `params`.
 * @template {Function} R @param {Record<string, R>} routes
 * @returns {(method: string, pathname: string) => { route: R, params: Record<string, string> } | undefined}
 */
function routeFinder(routes) {
  const patterns = Object.keys(routes).flatMap((key) => {
    const match = /^(\S+) (.*)\/:(\w+)$/.exec(key);
    return match ? [{ key, method: match[1], prefix: `${match[2]}/`, name: /** @type {string} */ (match[3]) }] : [];
  });
  return (method, pathname) => {
    const exact = routes[`${method} ${pathname}`];
    if (exact) return { route: exact, params: {} };
    for (const { key, method: m, prefix, name } of patterns) {
      const rest = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : '';
      if (m !== method || rest === '' || rest.includes('/')) continue;
      let value;
      try {
        value = decodeURIComponent(rest);
      } catch {
        return undefined; // malformed percent-encoding: no such resource
      }
      return { route: /** @type {R} */ (routes[key]), params: { [name]: value } };
    }
    return undefined;
  };
}
