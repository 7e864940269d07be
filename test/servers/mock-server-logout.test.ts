// @vitest-environment node
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createAuthServer } from 'tokenkeeper/msw';
import { call, cookieOf, login as logIn, refresh as refreshCall } from './http.mjs';
import { MOCK } from './mock-fixture';

const API = 'https://api.example.com';
const auth = createAuthServer({
  baseUrl: API,
  users: [
    { email: 'alice@example.com', password: 'wonderland' },
    { email: 'bob@example.com', password: 'builder-123' },
  ],
});
const server = setupServer(...auth.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  auth.reset();
});
afterAll(() => server.close());

interface Session {
  /** `tk_refresh=<token>`. */
  cookie: string;
  accessToken: string;
}

async function login(email = 'alice@example.com', password = 'wonderland'): Promise<Session> {
  const res = await logIn(MOCK, email, password);
  return { cookie: cookieOf(res), accessToken: ((await res.json()) as { accessToken: string }).accessToken };
}

const refresh = async (cookie: string): Promise<number> => (await refreshCall(MOCK, cookie)).status;

const logout = (options: { cookie?: string; accessToken?: string; body?: unknown } = {}): Promise<Response> =>
  call(MOCK, 'POST', '/auth/logout', { cookie: options.cookie, token: options.accessToken, body: options.body });

describe('POST /auth/logout', () => {
  test('answers 204, clears the cookie and revokes the presented session only', async () => {
    const session = await login();
    const otherDevice = await login();
    const res = await logout({ cookie: session.cookie });

    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(res.headers.getSetCookie()).toEqual([
      'tk_refresh=; Max-Age=0; Path=/auth; HttpOnly; Secure; SameSite=Strict',
    ]);
    expect(await refresh(session.cookie)).toBe(401);
    expect(await refresh(otherDevice.cookie)).toBe(200);
    expect(auth.stats.logouts).toBe(1);
  });

  test('revokes the whole family, including tokens rotated since', async () => {
    const session = await login();
    const newest = cookieOf(await refreshCall(MOCK, session.cookie));
    // Logging out with an already rotated token still ends the session it belongs to.
    await logout({ cookie: session.cookie });

    expect(await refresh(newest)).toBe(401);
  });

  test('with { everywhere: true } revokes every session of the cookie’s user, not others', async () => {
    const [a, b, c] = [await login(), await login(), await login()];
    const bob = await login('bob@example.com', 'builder-123');
    await logout({ cookie: a.cookie, body: { everywhere: true } });

    expect(await refresh(b.cookie)).toBe(401);
    expect(await refresh(c.cookie)).toBe(401);
    expect(await refresh(bob.cookie)).toBe(200);
  });

  test('with { everywhere: true } and only an access token, finds the user from the token', async () => {
    const a = await login();
    const b = await login();
    const res = await logout({ accessToken: a.accessToken, body: { everywhere: true } });

    expect(res.status).toBe(204);
    expect(await refresh(a.cookie)).toBe(401);
    expect(await refresh(b.cookie)).toBe(401);
  });

  test('ignores a cookie sent without credentials: include, as a browser would not send it', async () => {
    const session = await login();
    const res = await call(MOCK, 'POST', '/auth/logout', { cookie: session.cookie, credentials: 'same-origin' });

    expect(res.status).toBe(204);
    expect(await refresh(session.cookie)).toBe(200);
  });

  test('answers 204 even with no, unknown or revoked session and an odd body', async () => {
    expect((await logout()).status).toBe(204);
    expect((await logout({ cookie: 'tk_refresh=unknown', body: 'not json' })).status).toBe(204);
    expect((await logout({ accessToken: 'not.a.jwt', body: { everywhere: true } })).status).toBe(204);
    expect(auth.stats.logouts).toBe(3);
  });
});
