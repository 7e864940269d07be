import { describe, expect, it } from 'vitest';
import { setupWorld, USER } from '../support/world';

// Rule 4: a refused refresh ends the session once, and every waiting caller gets its own 401.
const world = setupWorld();

describe('authFetch when the refresh is refused', () => {
  it('turns anonymous, fires logout once with refresh_failed, and hands each caller its 401', async () => {
    const auth = world.client();
    await auth.login(USER);
    const reasons: string[] = [];
    auth.onLogout(({ reason }) => reasons.push(reason));
    world.auth.revokeAll(); // the server forgot the session
    world.serverClock.skew = 400_000;

    const responses = await Promise.all(Array.from({ length: 5 }, () => auth.authFetch(world.echoUrl)));

    expect(responses.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    for (const response of responses) expect(await response.json()).toEqual({ error: 'invalid_token' });
    expect(reasons).toEqual(['refresh_failed']);
    expect(auth.getState()).toEqual({ status: 'anonymous', user: null, expiresAt: null });
    expect(await auth.getAccessToken()).toBeNull();
    expect(world.auth.stats.rejectedRefreshes).toBe(1);
  });

  it('a direct refresh() that is refused rejects with unauthorized and ends the session', async () => {
    const auth = world.client();
    await auth.login(USER);
    const reasons: string[] = [];
    auth.onLogout(({ reason }) => reasons.push(reason));
    world.auth.revokeAll();
    await expect(auth.refresh()).rejects.toMatchObject({ name: 'AuthError', code: 'unauthorized', status: 401 });
    expect(reasons).toEqual(['refresh_failed']);
    expect(auth.getState().status).toBe('anonymous');
  });
});
