// @vitest-environment node
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createAuthServer } from 'tokenkeeper/msw';

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
  cookie: string;
  accessToken: string;
}

async function login(email = 'alice@example.com', password = 'wonderland'): Promise<Session> {
  const res = await fetch(`${API}/auth/login`, {
    method: 'POST',
    credentials: 'include',
    body: JSON.stringify({ email, password }),
  });
  const cookie = /^tk_refresh=([^;]+)/.exec(res.headers.getSetCookie()[0] ?? '')?.[1] ?? '';
  return { cookie, accessToken: ((await res.json()) as { accessToken: string }).accessToken };
}

function refresh(cookie: string): Promise<number> {
  return fetch(`${API}/auth/refresh-token`, {
    method: 'POST',
    credentials: 'include',
    headers: { Cookie: `tk_refresh=${cookie}` },
  }).then((res) => res.status);
}

function logout(options: { cookie?: string; accessToken?: string; body?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = { Cookie: `tk_refresh=${options.cookie ?? ''}` };
  if (options.accessToken) headers['Authorization'] = `Bearer ${options.accessToken}`;
  return fetch(`${API}/auth/logout`, {
    method: 'POST',
    credentials: 'include',
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
}

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
    const rotated = await fetch(`${API}/auth/refresh-token`, {
      method: 'POST',
      credentials: 'include',
      headers: { Cookie: `tk_refresh=${session.cookie}` },
    });
    const newest = /^tk_refresh=([^;]+)/.exec(rotated.headers.getSetCookie()[0] ?? '')?.[1] ?? '';
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
    const res = await fetch(`${API}/auth/logout`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Cookie: `tk_refresh=${session.cookie}` },
    });

    expect(res.status).toBe(204);
    expect(await refresh(session.cookie)).toBe(200);
  });

  test('answers 204 even with no, unknown or revoked session and an odd body', async () => {
    expect((await logout()).status).toBe(204);
    expect((await logout({ cookie: 'unknown', body: 'not json' })).status).toBe(204);
    expect((await logout({ accessToken: 'not.a.jwt', body: { everywhere: true } })).status).toBe(204);
    expect(auth.stats.logouts).toBe(3);
  });
});
