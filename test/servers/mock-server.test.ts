// The default happy-dom environment: the client sees no Set-Cookie and cannot send a Cookie
// header, exactly as in a browser; the refresh token travels only in MSW's cookie jar.
import { describe, expect, test } from 'vitest';
import type { AuthServerStats } from 'tokenkeeper/msw';
import { API, useMockServer } from './mock-fixture';

const { auth } = useMockServer({ users: [{ email: 'alice@example.com', password: 'wonderland', name: 'Alice' }] });

// Plain fetch rather than http.mjs: no Cookie header, so MSW's jar carries the refresh cookie.
function post(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${API}${path}`, { method: 'POST', credentials: 'include', ...init });
}

const login = (): Promise<Response> =>
  post('/auth/login', { body: JSON.stringify({ email: 'alice@example.com', password: 'wonderland' }) });

const ZERO: AuthServerStats = {
  logins: 0,
  registrations: 0,
  refreshes: 0,
  rejectedRefreshes: 0,
  reuseDetected: 0,
  logouts: 0,
};

describe('createAuthServer in a browser-like environment', () => {
  test('runs a whole session through the cookie jar', async () => {
    expect((await login()).status).toBe(200);

    const refreshed = await post('/auth/refresh-token');
    expect(refreshed.status).toBe(200);
    const { accessToken } = (await refreshed.json()) as { accessToken: string };

    const me = await fetch(`${API}/me`, { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(await me.json()).toEqual({ user: { id: 'u1', email: 'alice@example.com', name: 'Alice' } });

    expect((await post('/auth/logout')).status).toBe(204);
    expect((await post('/auth/refresh-token')).status).toBe(401);
    expect(auth.stats).toEqual({ ...ZERO, logins: 1, refreshes: 1, rejectedRefreshes: 1, logouts: 1 });
  });

  test('refuses a refresh made without credentials: include, though the jar holds a valid cookie', async () => {
    await login();

    expect((await post('/auth/refresh-token', { credentials: 'same-origin' })).status).toBe(401);
    expect((await post('/auth/refresh-token', { credentials: 'include' })).status).toBe(200);
  });

  test('keeps the access token out of the cookie jar and the refresh token out of the body', async () => {
    const body = (await (await login()).json()) as Record<string, unknown>;

    expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresIn', 'user']);
    // HttpOnly: a script never sees the refresh cookie.
    expect(document.cookie).not.toContain('tk_refresh');
  });
});

describe('stats and reset()', () => {
  test('counts every outcome', async () => {
    await login();
    await post('/auth/login', { body: JSON.stringify({ email: 'alice@example.com', password: 'nope-nope' }) });
    await post('/auth/register', { body: JSON.stringify({ email: 'bob@example.com', password: 'builder-123' }) });
    await post('/auth/refresh-token');
    await post('/auth/refresh-token', { credentials: 'omit' });
    await post('/auth/logout');

    expect(auth.stats).toEqual({ logins: 1, registrations: 1, refreshes: 1, rejectedRefreshes: 1, reuseDetected: 0, logouts: 1 });
  });

  test('reset() is synchronous, zeroes the live stats object and forgets sessions', async () => {
    const stats = auth.stats;
    await login();
    expect(stats.logins).toBe(1);

    const result: void = auth.reset();

    expect(result).toBeUndefined();
    expect(auth.stats).toBe(stats);
    expect(stats).toEqual(ZERO);
    // The jar still holds the old cookie, which the server no longer knows.
    expect((await post('/auth/refresh-token')).status).toBe(401);
    expect((await login()).status).toBe(200);
  });
});
