// @vitest-environment node
// Node, with no window or document: the mock server must not need them.
import { decodeJwt, jwtVerify } from 'jose';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createAuthServer } from 'tokenkeeper/msw';

const users = [{ email: 'alice@example.com', password: 'wonderland' }];
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// Not http.mjs's login: it takes each test's own URL and sends no Cookie header, so MSW's jar keeps the cookie.
function login(url: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    credentials: 'include',
    body: JSON.stringify({ email: 'alice@example.com', password: 'wonderland' }),
  });
}

describe('createAuthServer options', () => {
  test('runs without window or document', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
  });

  test('appends endpoints to the path of baseUrl and scopes the cookie to it', async () => {
    const auth = createAuthServer({ baseUrl: 'https://x.io/v1/', users });
    server.use(...auth.handlers);

    const res = await login('https://x.io/v1/auth/login');
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()[0]).toContain('; Path=/v1/auth;');
    expect((await fetch('https://x.io/v1/auth/refresh-token', { method: 'POST', credentials: 'include' })).status).toBe(200);
  });

  test('takes custom endpoints and cookie name, and derives the cookie path they share', async () => {
    const auth = createAuthServer({
      baseUrl: 'https://api.example.com/api',
      cookieName: 'rt',
      endpoints: { login: '/session/new', refresh: '/session/refresh', logout: 'session/end', me: '/users/me' },
      users,
    });
    server.use(...auth.handlers);

    const res = await login('https://api.example.com/api/session/new');
    const cookie = res.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^rt=[^;]+; HttpOnly; Secure; SameSite=Strict; Path=\/api\/session; Max-Age=1209600$/);
    const refreshed = await fetch('https://api.example.com/api/session/refresh', {
      method: 'POST',
      credentials: 'include',
      headers: { Cookie: cookie.split(';')[0]! },
    });
    expect(refreshed.status).toBe(200);
    const { accessToken } = (await refreshed.json()) as { accessToken: string };
    expect((await fetch('https://api.example.com/api/users/me', { headers: { Authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    expect((await fetch('https://api.example.com/api/session/end', { method: 'POST' })).status).toBe(204);
  });

  test('takes custom second-factor and device endpoints, and keeps the defaults for the rest', async () => {
    const auth = createAuthServer({
      baseUrl: 'https://api.example.com',
      endpoints: { mfa: '/auth/2fa', mfaEnroll: '/account/2fa/setup', sessions: '/account/devices' },
      users,
    });
    // After the mock's handlers, one for whatever they leave unanswered (MSW would print an error).
    const unanswered = HttpResponse.json({ error: 'no_mock_handler' }, { status: 404 });
    server.use(...auth.handlers, http.all('https://api.example.com/*', () => unanswered.clone()));
    const { accessToken } = (await (await login('https://api.example.com/auth/login')).json()) as { accessToken: string };
    const bearer = { Authorization: `Bearer ${accessToken}` };

    expect((await fetch('https://api.example.com/account/2fa/setup', { method: 'POST', headers: bearer })).status).toBe(200);
    expect((await fetch('https://api.example.com/auth/mfa', { headers: bearer })).status).toBe(200);
    const devices = await fetch('https://api.example.com/account/devices', { headers: bearer });
    expect(((await devices.json()) as { sessions: unknown[] }).sessions).toHaveLength(1);
    expect((await fetch('https://api.example.com/auth/2fa', { method: 'POST', body: '{}' })).status).toBe(400);
    // A renamed endpoint leaves nothing at its default path.
    const old = await fetch('https://api.example.com/auth/sessions', { headers: bearer });
    expect(await old.json()).toEqual({ error: 'no_mock_handler' });
  });

  test('widens the cookie path to the directory that login, refresh and logout share', async () => {
    const auth = createAuthServer({
      baseUrl: 'https://api.example.com',
      endpoints: { login: '/login', refresh: '/auth/refresh' },
      users,
    });
    server.use(...auth.handlers);

    const res = await login('https://api.example.com/login');
    expect(res.headers.getSetCookie()[0]).toContain('; Path=/;');
  });

  test('uses accessTokenTtl, refreshTokenTtl and secret', async () => {
    const auth = createAuthServer({
      baseUrl: 'https://api.example.com',
      accessTokenTtl: 60,
      refreshTokenTtl: 120,
      secret: 'shared-secret',
      users,
    });
    server.use(...auth.handlers);

    const res = await login('https://api.example.com/auth/login');
    const { accessToken, expiresIn } = (await res.json()) as { accessToken: string; expiresIn: number };
    expect(expiresIn).toBe(60);
    const { payload } = await jwtVerify(accessToken, new TextEncoder().encode('shared-secret'));
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(res.headers.getSetCookie()[0]).toMatch(/; Max-Age=120$/);
  });

  test('signs with a random secret by default, different per server', async () => {
    const a = createAuthServer({ baseUrl: 'https://a.example.com', users });
    const b = createAuthServer({ baseUrl: 'https://b.example.com', users });
    server.use(...a.handlers, ...b.handlers);
    const { accessToken } = await a.issueTokens('alice@example.com');

    expect(decodeJwt(accessToken).sub).toBe('u1');
    expect((await fetch('https://a.example.com/me', { headers: { Authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    expect((await fetch('https://b.example.com/me', { headers: { Authorization: `Bearer ${accessToken}` } })).status).toBe(401);
  });

  test('delays every response by latency ms', async () => {
    const auth = createAuthServer({ baseUrl: 'https://api.example.com', latency: 80, users });
    server.use(...auth.handlers);

    const started = performance.now();
    await fetch('https://api.example.com/me');
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  test('keeps seeded ids, and numbers the others', async () => {
    const auth = createAuthServer({
      baseUrl: 'https://api.example.com',
      users: [
        { email: 'root@example.com', password: 'password', id: 'admin-1' },
        { email: 'alice@example.com', password: 'wonderland' },
      ],
    });
    server.use(...auth.handlers);

    expect(decodeJwt((await auth.issueTokens('root@example.com')).accessToken).sub).toBe('admin-1');
    expect(decodeJwt((await auth.issueTokens('alice@example.com')).accessToken).sub).toBe('u2');
  });

  test('marks the cookie Secure wherever a browser keeps a Secure cookie, and only there', async () => {
    const setCookie = async (baseUrl: string) => {
      server.use(...createAuthServer({ baseUrl, users }).handlers);
      const res = await login(`${baseUrl}/auth/login`);
      expect(res.status).toBe(200);
      return res.headers.getSetCookie()[0];
    };
    expect(await setCookie('http://api.test')).not.toMatch(/Secure/); // dropped over plain http
    expect(await setCookie('https://api.test')).toMatch(/; Secure;/);
    expect(await setCookie('http://localhost:8080')).toMatch(/; Secure;/); // a secure context
    expect(await setCookie('http://127.0.0.1:8080')).toMatch(/; Secure;/);
  });

  test('throws on a relative baseUrl', () => {
    expect(() => createAuthServer({ baseUrl: '/api' })).toThrow(TypeError);
  });
});
