// @vitest-environment node
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../examples/server/index.mjs';
import * as http from './http.mjs';

const SPA = 'http://localhost:5173';
const DEMO = { email: 'demo@example.com', password: 'demo-password' };

let clock = Date.parse('2030-01-01T00:00:00Z');
const advance = (seconds: number) => (clock += seconds * 1000);

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({
    port: 0,
    accessTokenTtl: 60,
    refreshTokenTtl: 3600,
    reuseInterval: 10,
    allowedOrigins: [SPA],
    now: () => clock,
  });
});
afterAll(() => server.close());
beforeEach(() => server.app.reset());

const call = (method: string, path: string, options?: http.CallOptions) => http.call(server, method, path, options);

/** The raw Set-Cookie for the refresh token. */
function setCookie(response: Response): string {
  const header = response.headers.getSetCookie().find((c) => c.startsWith('tk_refresh='));
  if (!header) throw new Error('no tk_refresh cookie');
  return header;
}
/** `tk_refresh=<token>`, as a browser would send it back; unlike http.cookieOf, throws when there is none. */
const cookieOf = (response: Response) => setCookie(response).split(';')[0]!;

async function login() {
  const response = await call('POST', '/auth/login', { body: DEMO });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { accessToken: string };
  return { cookie: cookieOf(response), token: body.accessToken };
}

describe('login and register', () => {
  it('returns a token and an httpOnly, Secure, SameSite=Strict refresh cookie scoped to /auth', async () => {
    const response = await call('POST', '/auth/login', { body: DEMO });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json();
    expect(body).toEqual({
      accessToken: expect.any(String),
      expiresIn: 60,
      user: { id: expect.any(String), email: DEMO.email, name: 'Demo User' },
    });
    const cookie = setCookie(response);
    expect(cookie).toMatch(/^tk_refresh=[A-Za-z0-9_-]{43};/);
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/auth', 'Max-Age=3600']) {
      expect(cookie.split('; ')).toContain(attribute);
    }
    expect(server.stats.logins).toBe(1);
  });

  it('rejects bad credentials with 401 and malformed bodies with 400', async () => {
    const wrong = await call('POST', '/auth/login', { body: { ...DEMO, password: 'nope-nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'invalid_credentials' });
    expect(wrong.headers.getSetCookie()).toEqual([]);
    expect((await call('POST', '/auth/login', { body: { email: 'ghost@example.com', password: 'whatever1' } })).status).toBe(401);
    expect((await call('POST', '/auth/login', { body: '{not json' })).status).toBe(400);
    expect((await call('POST', '/auth/login', { body: { email: DEMO.email } })).status).toBe(400);
    expect(server.stats.logins).toBe(0);
  });

  it('registers with 201, then 409 for a duplicate and 422 for invalid input', async () => {
    const created = await call('POST', '/auth/register', { body: { email: 'new@example.com', password: 'long-enough', name: 'New' } });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ accessToken: expect.any(String), expiresIn: 60, user: { email: 'new@example.com', name: 'New' } });
    expect(setCookie(created)).toContain('HttpOnly');
    expect((await call('POST', '/auth/register', { body: { email: 'NEW@example.com', password: 'long-enough' } })).status).toBe(409);
    expect((await call('POST', '/auth/register', { body: { email: 'no-at-sign', password: 'long-enough' } })).status).toBe(422);
    expect((await call('POST', '/auth/register', { body: { email: 'short@example.com', password: 'short' } })).status).toBe(422);
    expect((await call('POST', '/auth/login', { body: { email: 'new@example.com', password: 'long-enough' } })).status).toBe(200);
    expect(server.stats.registrations).toBe(1);
  });

  it('answers 413 above 16 KB and 404 JSON for unknown routes', async () => {
    const big = await call('POST', '/auth/login', { body: { ...DEMO, padding: 'x'.repeat(17 * 1024) } });
    expect(big.status).toBe(413);
    const missing = await call('GET', '/nowhere');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found' });
  });
});

describe('refresh', () => {
  it('rotates the cookie and issues a working access token', async () => {
    const session = await login();
    const response = await call('POST', '/auth/refresh-token', { cookie: session.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { accessToken: string; expiresIn: number };
    // `user` exactly as login answers it: one shape of user before and after a reload.
    expect(body).toEqual({ accessToken: expect.any(String), expiresIn: 60, user: { id: expect.any(String), email: DEMO.email, name: 'Demo User' } });
    expect(cookieOf(response)).not.toBe(session.cookie);
    expect(setCookie(response)).toContain('Max-Age=3600');
    expect((await call('GET', '/api/me', { token: body.accessToken })).status).toBe(200);
    expect(server.stats.refreshes).toBe(1);
  });

  it('accepts the token just replaced again within the reuse interval', async () => {
    const session = await login();
    const first = await call('POST', '/auth/refresh-token', { cookie: session.cookie });
    advance(5);
    const again = await call('POST', '/auth/refresh-token', { cookie: session.cookie });
    expect(again.status).toBe(200);
    // Both rotations stay usable: the browser keeps whichever Set-Cookie arrived last.
    expect((await call('POST', '/auth/refresh-token', { cookie: cookieOf(first) })).status).toBe(200);
    expect(server.stats).toMatchObject({ refreshes: 3, rotations: 2, reuseDetected: 0 });
  });

  it('treats the old token after the interval as reuse and revokes the whole family', async () => {
    const session = await login();
    const rotated = await call('POST', '/auth/refresh-token', { cookie: session.cookie });
    const newest = cookieOf(rotated);
    advance(11);
    const reused = await call('POST', '/auth/refresh-token', { cookie: session.cookie });
    expect(reused.status).toBe(401);
    expect(setCookie(reused)).toContain('Max-Age=0');
    expect(server.stats.reuseDetected).toBe(1);
    // The legitimate newest token dies too: we cannot tell who holds the copy.
    expect((await call('POST', '/auth/refresh-token', { cookie: newest })).status).toBe(401);
    expect(server.stats).toMatchObject({ refreshes: 1, rejectedRefreshes: 2, reuseDetected: 1 });
  });

  it('with a reuse interval of 0, a second presentation in the same millisecond is reuse', async () => {
    const strict = await startServer({ port: 0, reuseInterval: 0, now: () => clock });
    try {
      const login = await http.login(strict, DEMO.email, DEMO.password);
      const refresh = (cookie: string) => http.refresh(strict, cookie);
      const first = await refresh(cookieOf(login));
      expect(first.status).toBe(200);
      // The clock has not moved: the old token comes back 0 ms after its rotation.
      const second = await refresh(cookieOf(login));
      expect(second.status).toBe(401);
      expect(await second.json()).toEqual({ error: 'invalid_refresh_token', reason: 'reused' });
      expect((await refresh(cookieOf(first))).status).toBe(401);
      expect(strict.stats).toMatchObject({ refreshes: 1, rotations: 1, reuseDetected: 1, rejectedRefreshes: 2 });
    } finally {
      await strict.close();
    }
  });

  it('rejects a missing, unknown or expired cookie', async () => {
    expect((await call('POST', '/auth/refresh-token')).status).toBe(401);
    expect((await call('POST', '/auth/refresh-token', { cookie: 'tk_refresh=made-up' })).status).toBe(401);
    const session = await login();
    advance(3601);
    expect((await call('POST', '/auth/refresh-token', { cookie: session.cookie })).status).toBe(401);
    expect(server.stats).toMatchObject({ rejectedRefreshes: 3, reuseDetected: 0 });
  });
});

describe('protected API', () => {
  it('serves /api/me only with a valid, unexpired bearer token', async () => {
    const anonymous = await call('GET', '/api/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect((await call('GET', '/api/me', { token: 'not.a.jwt' })).status).toBe(401);

    const { token } = await login();
    const me = await call('GET', '/api/me', { token });
    expect(me.status).toBe(200);
    const body = (await me.json()) as { user: { email: string }; expiresAt: number };
    expect(body.user.email).toBe(DEMO.email);
    expect(body.expiresAt).toBe(Math.floor(clock / 1000) * 1000 + 60_000);

    advance(61);
    expect((await call('GET', '/api/me', { token })).status).toBe(401);
    expect(server.stats.meRequests).toBe(4);
  });

  it('expire-access-tokens invalidates every token issued so far, and refresh recovers', async () => {
    const session = await login();
    expect((await call('POST', '/api/expire-access-tokens')).status).toBe(401);
    expect((await call('POST', '/api/expire-access-tokens', { token: session.token })).status).toBe(204);
    expect((await call('GET', '/api/me', { token: session.token })).status).toBe(401);
    const refreshed = (await (await call('POST', '/auth/refresh-token', { cookie: session.cookie })).json()) as { accessToken: string };
    expect((await call('GET', '/api/me', { token: refreshed.accessToken })).status).toBe(200);
  });
});

describe('logout', () => {
  it('clears the cookie and revokes the family', async () => {
    const session = await login();
    const response = await call('POST', '/auth/logout', { cookie: session.cookie, token: session.token });
    expect(response.status).toBe(204);
    expect(setCookie(response)).toMatch(/^tk_refresh=;.*Max-Age=0/);
    expect(setCookie(response)).toContain('Path=/auth');
    expect((await call('POST', '/auth/refresh-token', { cookie: session.cookie })).status).toBe(401);
    expect(server.stats.logouts).toBe(1);
  });

  it('with { everywhere: true } revokes every session of the user', async () => {
    const laptop = await login();
    const phone = await login();
    expect((await call('POST', '/auth/logout', { cookie: laptop.cookie, body: { everywhere: true } })).status).toBe(204);
    expect((await call('POST', '/auth/refresh-token', { cookie: phone.cookie })).status).toBe(401);
  });

  it('succeeds without any cookie', async () => {
    expect((await call('POST', '/auth/logout')).status).toBe(204);
  });
});

describe('CORS', () => {
  it('answers preflights for allowed origins only', async () => {
    const preflight = { 'Origin': SPA, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' };
    const allowed = await call('OPTIONS', '/api/me', { headers: preflight });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT, PATCH, DELETE');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type');
    expect(allowed.headers.get('access-control-max-age')).toBe('600');
    expect(allowed.headers.get('vary')).toBe('Origin');

    const other = await call('OPTIONS', '/api/me', { headers: { ...preflight, Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('echo-headers reports what it received, with CORS headers for the SPA', async () => {
    const response = await call('GET', '/api/echo-headers', { token: 'abc', headers: { Origin: SPA } });
    expect(response.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(await response.json()).toMatchObject({ authorization: 'Bearer abc', origin: SPA });
    const other = await call('GET', '/api/echo-headers', { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('test helpers', () => {
  it('/__stats counts and /__reset zeroes', async () => {
    await login();
    expect(await (await call('GET', '/__stats')).json()).toMatchObject({ logins: 1, meRequests: 0 });
    expect((await call('POST', '/__reset')).status).toBe(204);
    expect(await (await call('GET', '/__stats')).json()).toEqual({
      logins: 0, registrations: 0, refreshes: 0, rotations: 0, rejectedRefreshes: 0, reuseDetected: 0, logouts: 0, meRequests: 0,
    });
  });
});

describe('static SPA', () => {
  let dir: string;
  let spa: RunningServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tk-spa-'));
    await writeFile(join(dir, 'index.html'), '<h1>app</h1>');
    await writeFile(join(dir, 'app.js'), 'console.log(1)');
    spa = await startServer({ port: 0, staticDir: dir });
  });
  afterAll(async () => {
    await spa.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves files, falls back to index.html for client routes, and leaves the API alone', async () => {
    const get = (path: string) => http.call(spa, 'GET', path);
    const asset = await get('/app.js');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(await asset.text()).toBe('console.log(1)');
    expect(await (await get('/settings/profile')).text()).toBe('<h1>app</h1>');
    expect((await get('/missing.js')).status).toBe(404);
    // Encoded slashes survive URL normalisation and decode to `../../etc/passwd`.
    expect((await get('/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd')).status).toBe(404);
    expect((await get('/api/me')).status).toBe(401);
    expect((await get('/api/unknown')).status).toBe(404);
  });
});
