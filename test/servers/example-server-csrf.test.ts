// @vitest-environment node
// The example server's cross-site mode (issue 10): a SameSite=None refresh cookie, so every call
// that reads or sets it needs the double-submit CSRF header. Forged calls (the cookie rides along,
// the header does not) are refused with 403 and change nothing; same-site mode needs no token.
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USER, startServer, type RunningServer } from '../../examples/server/index.mjs';
import { startServerProcess } from '../support/server-process.mjs';
import { call, login as logIn, refresh } from './http.mjs';

const SPA = 'https://app.example.net';
const DEMO = { email: DEMO_USER.email, password: DEMO_USER.password };

interface Browser {
  /** `name=value` pairs, as a browser sends them back. */
  jar: Map<string, string>;
  csrf?: string;
}

let server: RunningServer;
const lines: string[] = [];
beforeAll(async () => {
  server = await startServer({ port: 0, crossSite: true, allowedOrigins: [SPA], refreshTokenTtl: 3600, log: (line) => lines.push(line) });
});
afterAll(() => server.close());
beforeEach(() => {
  server.app.reset();
  lines.length = 0;
});

interface Call { body?: unknown; token?: string; csrf?: string | null; origin?: string; headers?: Record<string, string> }

/**
 * A request from `browser`: its cookies, and its CSRF token in the header unless `csrf` says
 * otherwise (`null`: no header, as a forged request). Keeps the cookies the answer sets.
 */
async function send(browser: Browser, method: string, path: string, { body, token, csrf, origin = SPA, headers = {} }: Call = {}) {
  const header = csrf === undefined ? browser.csrf : csrf;
  const cookie = [...browser.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const response = await call(server, method, path, {
    token,
    cookie,
    body,
    headers: { Origin: origin, ...(header ? { 'X-CSRF-Token': header } : {}), ...headers },
  });
  for (const set of response.headers.getSetCookie()) {
    const [pair = ''] = set.split(';');
    const [name = '', value = ''] = pair.split('=');
    if (/Max-Age=0\b/.test(set)) browser.jar.delete(name);
    else browser.jar.set(name, value);
  }
  return response;
}

/** A browser that has asked for its CSRF token, as the SPA does before anything else. */
async function newBrowser(): Promise<Browser> {
  const browser: Browser = { jar: new Map() };
  const response = await send(browser, 'GET', '/auth/csrf');
  expect(response.status).toBe(200);
  browser.csrf = ((await response.json()) as { csrfToken: string }).csrfToken;
  return browser;
}

async function signedIn() {
  const browser = await newBrowser();
  const response = await send(browser, 'POST', '/auth/login', { body: DEMO });
  expect(response.status).toBe(200);
  const { accessToken } = (await response.json()) as { accessToken: string };
  return { browser, token: accessToken };
}

async function expectRefused(response: Response, reason: string) {
  expect(response.status).toBe(403);
  expect(await response.json()).toEqual({ error: 'csrf', reason });
  expect(response.headers.getSetCookie()).toEqual([]);
}

describe('cross-site mode: cookies and the token', () => {
  it('sets the refresh cookie SameSite=None; Secure; Partitioned, and the token cookie as __Host-', async () => {
    const browser = await newBrowser();
    const login = await send(browser, 'POST', '/auth/login', { body: DEMO });
    const refresh = login.headers.getSetCookie().find((cookie) => cookie.startsWith('tk_refresh='))!;
    expect(refresh.split('; ').slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=3600', 'Partitioned', 'Path=/auth', 'SameSite=None', 'Secure']);
    const again = await call(server, 'GET', '/auth/csrf', { headers: { Origin: SPA } });
    const [csrf] = again.headers.getSetCookie();
    expect(csrf).toMatch(/^__Host-tk_csrf=[A-Za-z0-9_-]{43}; /);
    expect(csrf!.split('; ').slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=34560000', 'Partitioned', 'Path=/', 'SameSite=None', 'Secure']);
  });

  it('hands the token to the SPA origins only: another origin gets no CORS headers, so a browser lets it read nothing', async () => {
    const spa = await call(server, 'GET', '/auth/csrf', { headers: { Origin: SPA } });
    expect(spa.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(spa.headers.get('access-control-allow-credentials')).toBe('true');
    expect(spa.headers.get('cache-control')).toBe('no-store');
    const other = await call(server, 'GET', '/auth/csrf', { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets the SPA send X-CSRF-Token (preflight)', async () => {
    const preflight = await call(server, 'OPTIONS', '/auth/refresh-token', {
      headers: { Origin: SPA, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-csrf-token' },
    });
    expect(preflight.headers.get('access-control-allow-headers')?.split(', ')).toContain('X-CSRF-Token');
  });

  it('is the browser’s token: the same for every later ask (every tab), kept through login and logout', async () => {
    const { browser, token } = await signedIn();
    const first = browser.csrf;
    for (let i = 0; i < 3; i++) {
      const again = await send(browser, 'GET', '/auth/csrf');
      expect(await again.json()).toEqual({ csrfToken: first });
    }
    expect((await send(browser, 'POST', '/auth/logout', { token })).status).toBe(204);
    expect((await send(browser, 'POST', '/auth/login', { body: DEMO })).status).toBe(200);
    expect(await (await send(browser, 'GET', '/auth/csrf')).json()).toEqual({ csrfToken: first });
    // Another browser gets its own, and a malformed cookie is replaced.
    expect((await newBrowser()).csrf).not.toBe(first);
    const tampered: Browser = { jar: new Map([['__Host-tk_csrf', 'short']]) };
    const fresh = (await (await send(tampered, 'GET', '/auth/csrf')).json()) as { csrfToken: string };
    expect(fresh.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tampered.jar.get('__Host-tk_csrf')).toBe(fresh.csrfToken);
  });
});

describe('cross-site mode: a forged call (the cookies ride along, the header does not) is refused and changes nothing', () => {
  it('refresh: 403, no rotation, the cookie still refreshes with the header', async () => {
    const { browser } = await signedIn();
    const cookie = browser.jar.get('tk_refresh');
    await expectRefused(await send(browser, 'POST', '/auth/refresh-token', { csrf: null }), 'missing');
    expect(server.stats).toMatchObject({ refreshes: 0, rejectedRefreshes: 0 });
    expect(browser.jar.get('tk_refresh')).toBe(cookie);
    expect(lines).toContain('auth: POST /auth/refresh-token 403 csrf (missing)');
    const refreshed = await send(browser, 'POST', '/auth/refresh-token');
    expect(refreshed.status).toBe(200);
    expect(server.stats).toMatchObject({ refreshes: 1, rotations: 1 });
  });

  it('logout, and logout everywhere with a live access token: 403, the session lives on', async () => {
    const { browser, token } = await signedIn();
    await expectRefused(await send(browser, 'POST', '/auth/logout', { csrf: null }), 'missing');
    await expectRefused(await send(browser, 'POST', '/auth/logout', { csrf: null, token, body: { everywhere: true } }), 'missing');
    expect(server.stats.logouts).toBe(0);
    expect((await send(browser, 'POST', '/auth/refresh-token')).status).toBe(200);
  });

  it('login, register and mfa verify: 403 before the body is read, no session, no cookie', async () => {
    const browser = await newBrowser();
    await expectRefused(await send(browser, 'POST', '/auth/login', { body: DEMO, csrf: null }), 'missing');
    await expectRefused(await send(browser, 'POST', '/auth/register', { body: { email: 'new@example.com', password: 'long-enough' }, csrf: null }), 'missing');
    await expectRefused(await send(browser, 'POST', '/auth/mfa/verify', { body: { mfaToken: 'x', code: '000000' }, csrf: null }), 'missing');
    expect(server.stats).toMatchObject({ logins: 0, registrations: 0 });
    expect(browser.jar.has('tk_refresh')).toBe(false);
    // The email is still free: the refused register created nothing.
    expect((await send(browser, 'POST', '/auth/register', { body: { email: 'new@example.com', password: 'long-enough' } })).status).toBe(201);
  });

  it('sessions: listing and revoking need the header too; a refused revoke leaves the session signed in', async () => {
    const { browser, token } = await signedIn();
    await expectRefused(await send(browser, 'GET', '/auth/sessions', { token, csrf: null }), 'missing');
    const listed = await send(browser, 'GET', '/auth/sessions', { token });
    const { sessions } = (await listed.json()) as { sessions: { id: string; current: boolean }[] };
    const current = sessions.find((session) => session.current)!;
    await expectRefused(await send(browser, 'DELETE', `/auth/sessions/${current.id}`, { token, csrf: null }), 'missing');
    expect((await send(browser, 'POST', '/auth/refresh-token')).status).toBe(200);
    expect((await send(browser, 'DELETE', `/auth/sessions/${current.id}`, { token })).status).toBe(204);
  });

  it('another browser’s valid token, or the right token without its cookie: 403', async () => {
    const { browser } = await signedIn();
    const other = await newBrowser();
    await expectRefused(await send(browser, 'POST', '/auth/refresh-token', { csrf: other.csrf! }), 'mismatch');
    const withoutTokenCookie: Browser = { jar: new Map([['tk_refresh', browser.jar.get('tk_refresh')!]]), csrf: browser.csrf! };
    await expectRefused(await send(withoutTokenCookie, 'POST', '/auth/refresh-token'), 'no_cookie');
    expect(server.stats.refreshes).toBe(0);
  });

  it('any header that is not exactly the token is refused (fast-check)', async () => {
    const { browser } = await signedIn();
    const token = browser.csrf!;
    const near = fc.oneof(
      fc.stringMatching(/^[\x21-\x7e]{1,64}$/),
      fc.nat(token.length - 1).map((i) => token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1)),
      fc.nat(token.length - 1).map((i) => token.slice(0, i)),
      fc.stringMatching(/^[\x21-\x7e]{1,8}$/).map((extra) => token + extra),
      fc.constant(token.toUpperCase()),
    ).filter((value) => value !== token && value !== '');
    await fc.assert(
      fc.asyncProperty(near, async (value) => {
        const response = await send(browser, 'POST', '/auth/refresh-token', { csrf: value });
        expect(response.status).toBe(403);
      }),
      { numRuns: 60 },
    );
    expect(server.stats.refreshes).toBe(0);
  });

  it('calls that use only the bearer token need no header', async () => {
    const { browser, token } = await signedIn();
    expect((await send(browser, 'GET', '/auth/mfa', { token, csrf: null })).status).toBe(200);
    expect((await send(browser, 'GET', '/api/me', { token, csrf: null })).status).toBe(200);
  });
});

describe('same-site mode (the default)', () => {
  let sameSite: RunningServer;
  beforeAll(async () => {
    sameSite = await startServer({ port: 0, allowedOrigins: [SPA] });
  });
  afterAll(() => sameSite.close());

  it('needs no token: SameSite=Strict keeps other sites from sending the cookie at all', async () => {
    const login = await logIn(sameSite, DEMO.email, DEMO.password);
    const cookie = login.headers.getSetCookie().find((set) => set.startsWith('tk_refresh='))!;
    expect(cookie).toContain('; SameSite=Strict;');
    expect(cookie).not.toContain('Partitioned');
    const refreshed = await refresh(sameSite, cookie.split(';')[0]!);
    expect(refreshed.status).toBe(200);
    expect((await call(sameSite, 'GET', '/auth/csrf')).status).toBe(404);
    const preflight = await call(sameSite, 'OPTIONS', '/auth/login', { headers: { Origin: SPA, 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-headers')?.split(', ')).not.toContain('X-CSRF-Token');
  });
});

describe('options', () => {
  it('partitioned: false leaves Partitioned off both cookies', async () => {
    const plain = await startServer({ port: 0, crossSite: true, partitioned: false, allowedOrigins: [SPA] });
    try {
      const csrf = await call(plain, 'GET', '/auth/csrf');
      const [tokenCookie] = csrf.headers.getSetCookie();
      expect(tokenCookie).not.toContain('Partitioned');
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const login = await call(plain, 'POST', '/auth/login', { body: DEMO, cookie: tokenCookie!.split(';')[0]!, headers: { 'X-CSRF-Token': csrfToken } });
      expect(login.status).toBe(200);
      expect(login.headers.getSetCookie()[0]).toMatch(/; SameSite=None; Path=\/auth; Max-Age=\d+$/);
    } finally {
      await plain.close();
    }
  });

  it('CROSS_SITE=1 turns the mode on from the command line and says so', async () => {
    const cli = await startServerProcess({ CROSS_SITE: '1', SPA_ORIGINS: SPA, AUTH_LOG: '0' });
    try {
      expect(cli.output()).toMatch(/cross-site mode: refresh cookie SameSite=None; Secure; Partitioned; .*GET \/auth\/csrf .*X-CSRF-Token/);
      // No cookie at all: the command-line server refuses before it looks for one.
      const refused = await call(cli, 'POST', '/auth/refresh-token');
      expect(await refused.json()).toEqual({ error: 'csrf', reason: 'no_cookie' });
    } finally {
      await cli.stop();
    }
  });
});
