// @vitest-environment node
import { describe, expect, test } from 'vitest';
import { call, cookieOf, refresh as refreshCall, signIn, type CallOptions } from './http.mjs';
import { MOCK, useMockServer } from './mock-fixture';

const { auth } = useMockServer({
  users: [
    { email: 'alice@example.com', password: 'wonderland' },
    { email: 'bob@example.com', password: 'builder-123' },
  ],
});

const login = (email = 'alice@example.com', password = 'wonderland') => signIn(MOCK, { email, password });

const refresh = async (cookie: string): Promise<number> => (await refreshCall(MOCK, cookie)).status;

const logout = (options: Pick<CallOptions, 'cookie' | 'token' | 'body'> = {}): Promise<Response> =>
  call(MOCK, 'POST', '/auth/logout', options);

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
    const res = await logout({ token: a.token, body: { everywhere: true } });

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
    expect((await logout({ token: 'not.a.jwt', body: { everywhere: true } })).status).toBe(204);
    expect(auth.stats.logouts).toBe(3);
  });
});
