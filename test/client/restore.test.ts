import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, setupWorld, USER } from '../support/world';

// Page load: restore() turns the httpOnly cookie into a session, or settles on anonymous.
const world = setupWorld();

describe('restore()', () => {
  it('restores the session from the cookie alone, user from the JWT claims', async () => {
    await world.client().login(USER); // sets the refresh cookie, as an earlier page load would
    const reloaded = world.client(); // a fresh page: nothing in memory
    expect(reloaded.getState().status).toBe('unknown');

    const session = await reloaded.restore();

    expect(session?.user).toMatchObject({ email: USER.email });
    expect(session?.expiresAt).toBeGreaterThan(Date.now());
    expect(reloaded.getState()).toMatchObject({ status: 'authenticated', user: { email: USER.email } });
    expect(await reloaded.getAccessToken()).toMatch(/^ey/);
  });

  it('answers null and anonymous without a cookie, firing no logout', async () => {
    const auth = world.client();
    const reasons: string[] = [];
    auth.onLogout(({ reason }) => reasons.push(reason));
    expect(await auth.restore()).toBeNull();
    expect(auth.getState()).toEqual({ status: 'anonymous', user: null, expiresAt: null });
    expect(reasons).toEqual([]);
  });

  it('rejects with network and keeps the state when offline', async () => {
    const auth = world.client();
    world.server.use(http.post(`${API}/auth/refresh-token`, () => HttpResponse.error()));
    await expect(auth.restore()).rejects.toMatchObject({ name: 'AuthError', code: 'network' });
    expect(auth.getState().status).toBe('unknown');
  });

  it('authFetch made while restore() is in flight waits for it and carries the token', async () => {
    await world.client().login(USER);
    const reloaded = world.client();
    const restoring = reloaded.restore();
    const response = await reloaded.authFetch(world.echoUrl);
    await restoring;
    expect(response.status).toBe(200);
    expect(world.seen.at(-1)?.authorization).toMatch(/^Bearer ey/);
  });
});
