import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, setupWorld, USER } from '../support/world';

// Contract 0.3, "Rate limits": a 429 to any auth call is `rate_limited`, with `retryAfter` in
// seconds when the server sent Retry-After, and never ends a session.
const world = setupWorld();
const tooMany = (path: string, headers: Record<string, string> = {}) =>
  world.server.use(http.post(`${API}/auth/${path}`, () => HttpResponse.json({ error: 'too_many_attempts' }, { status: 429, headers })));

describe('a 429 from the auth server', () => {
  it('rejects login with rate_limited and the seconds of Retry-After', async () => {
    tooMany('login', { 'Retry-After': '120' });
    await expect(world.client().login(USER)).rejects.toMatchObject({ name: 'AuthError', code: 'rate_limited', status: 429, retryAfter: 120 });
  });

  it('reads an HTTP-date Retry-After as the seconds left until it', async () => {
    tooMany('login', { 'Retry-After': new Date(Date.now() + 90_000).toUTCString() });
    const error = await world.client().login(USER).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rate_limited' });
    expect((error as { retryAfter: number }).retryAfter).toBeGreaterThanOrEqual(88);
    expect((error as { retryAfter: number }).retryAfter).toBeLessThanOrEqual(90);
  });

  it('without Retry-After (or an unreadable one) has no retryAfter', async () => {
    tooMany('login', { 'Retry-After': 'soon' });
    const error = await world.client().login(USER).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rate_limited' });
    expect(error).not.toHaveProperty('retryAfter');
  });

  it('never ends a session: a refresh answered 429 rejects, the session and its token stay', async () => {
    const auth = world.client();
    await auth.login(USER);
    const token = await auth.getAccessToken();
    const logouts: unknown[] = [];
    auth.onLogout((event) => logouts.push(event));
    tooMany('refresh-token', { 'Retry-After': '5' });

    await expect(auth.refresh()).rejects.toMatchObject({ code: 'rate_limited', retryAfter: 5 });

    expect(auth.getState().status).toBe('authenticated');
    expect(await auth.getAccessToken()).toBe(token);
    expect(logouts).toEqual([]);
  });

  it('verifyMfa answered 429 (codes guessed too often for the account) is rate_limited', async () => {
    tooMany('mfa/verify', { 'Retry-After': '900' });
    await expect(world.client().verifyMfa({ mfaToken: 'challenge', code: '123456' })).rejects.toMatchObject({ code: 'rate_limited', retryAfter: 900 });
  });
});
