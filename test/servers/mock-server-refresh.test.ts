// @vitest-environment node
// Node, so tests can read the rotated Set-Cookie and present an older token in a Cookie header.
import { describe, expect, test } from 'vitest';
import { call, cookieOf, login as logIn, refresh as refreshCall, signIn } from './http.mjs';
import { MOCK, useMockServer } from './mock-fixture';

const { auth, clock } = useMockServer({
  refreshTokenTtl: 3600,
  users: [
    { email: 'alice@example.com', password: 'wonderland' },
    { email: 'bob@example.com', password: 'builder-123' },
  ],
});

/** Logs in; the `tk_refresh=<token>` cookie. */
const login = async (email = 'alice@example.com', password = 'wonderland'): Promise<string> =>
  (await signIn(MOCK, { email, password })).cookie;

const refresh = (cookie: string): Promise<Response> => refreshCall(MOCK, cookie);

describe('POST /auth/refresh-token', () => {
  test('rotates: answers a new access token and a different refresh cookie', async () => {
    const first = await login();
    const res = await refresh(first);

    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ accessToken: expect.any(String), expiresIn: 900, user: { id: 'u1', email: 'alice@example.com' } });
    const second = cookieOf(res);
    expect(second).not.toBe(first);
    expect(res.headers.getSetCookie()[0]).toContain('; HttpOnly; Secure; SameSite=Strict; Path=/auth; Max-Age=3600');
    expect((await refresh(second)).status).toBe(200);
    expect(auth.stats.refreshes).toBe(2);
  });

  test('answers the user exactly as login did, so the app sees one shape before and after a reload', async () => {
    const res = await logIn(MOCK, 'bob@example.com', 'builder-123');
    const { user } = (await res.json()) as { user: unknown };
    const refreshed = (await (await refresh(cookieOf(res))).json()) as { user: unknown };

    expect(user).toEqual({ id: 'u2', email: 'bob@example.com' });
    expect(refreshed.user).toEqual(user);
  });

  test.each<RequestCredentials>(['same-origin', 'omit'])(
    'answers 401 to a request made with credentials: %s, as a browser would send no cookie',
    async (credentials) => {
      const cookie = await login();
      const res = await call(MOCK, 'POST', '/auth/refresh-token', { cookie, credentials });

      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'unauthorized' });
      expect(auth.stats.rejectedRefreshes).toBe(1);
      // The token was not spent: the same cookie still works with credentials: 'include'.
      expect((await refresh(cookie)).status).toBe(200);
    },
  );

  test.each([
    ['no cookie', ''],
    ['an unknown token', `tk_refresh=${'x'.repeat(43)}`],
  ])('answers 401 unauthorized for %s', async (_, cookie) => {
    const res = await refresh(cookie);

    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthorized' });
    expect(auth.stats).toMatchObject({ refreshes: 0, rejectedRefreshes: 1, reuseDetected: 0 });
  });

  test('accepts a rotated token again within the reuse interval, without calling it reuse', async () => {
    const first = await login();
    const second = cookieOf(await refresh(first));
    clock.now += 9_000;

    // Two tabs refreshing at once present the same cookie; the slower one must not be punished.
    const retry = await refresh(first);
    expect(retry.status).toBe(200);
    const third = cookieOf(retry);
    expect(third).not.toBe(second);
    expect(auth.stats).toMatchObject({ refreshes: 2, reuseDetected: 0, rejectedRefreshes: 0 });
    // Both descendants stay usable.
    expect((await refresh(second)).status).toBe(200);
    expect((await refresh(third)).status).toBe(200);
  });

  test('detects reuse after the interval and revokes the whole family, newest token included', async () => {
    const first = await login();
    const second = cookieOf(await refresh(first));
    const third = cookieOf(await refresh(second));
    const otherSession = await login();
    clock.now += 10_001;

    const reuse = await refresh(first);
    expect(reuse.status).toBe(401);
    expect(await reuse.json()).toEqual({ error: 'unauthorized' });
    expect(auth.stats).toMatchObject({ reuseDetected: 1, rejectedRefreshes: 1 });

    expect((await refresh(third)).status).toBe(401);
    expect((await refresh(second)).status).toBe(401);
    // A revoked family is rejected, but that is not a second reuse.
    expect(auth.stats).toMatchObject({ reuseDetected: 1, rejectedRefreshes: 3 });
    // Other families of the same user are untouched.
    expect((await refresh(otherSession)).status).toBe(200);
  });

  test('expires each refresh token refreshTokenTtl after its issue', async () => {
    const first = await login();
    clock.now += 3_599_000;
    const second = cookieOf(await refresh(first));
    clock.now += 3_599_000;
    // 7198 s after login: the rotated token is still within its own lifetime.
    const third = cookieOf(await refresh(second));
    clock.now += 3_600_000;

    expect((await refresh(third)).status).toBe(401);
    expect(auth.stats).toMatchObject({ refreshes: 2, rejectedRefreshes: 1, reuseDetected: 0 });
  });

  test('revokeAll() ends every session', async () => {
    const alice = await login();
    const bob = await login('bob@example.com', 'builder-123');
    auth.revokeAll();

    expect((await refresh(alice)).status).toBe(401);
    expect((await refresh(bob)).status).toBe(401);
    expect((await refresh(await login())).status).toBe(200);
  });

  test('reset() forgets every refresh token', async () => {
    const token = await login();
    auth.reset();

    expect((await refresh(token)).status).toBe(401);
  });

  test('lets one of two concurrent refreshes with the same token rotate it, and the other ride the interval', async () => {
    const token = await login();
    const [a, b] = await Promise.all([refresh(token), refresh(token)]);

    expect([a.status, b.status]).toEqual([200, 200]);
    expect(cookieOf(a)).not.toBe(cookieOf(b));
    expect(auth.stats).toMatchObject({ refreshes: 2, reuseDetected: 0 });
  });
});
