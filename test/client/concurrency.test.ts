import { afterEach, describe, expect, it, vi } from 'vitest';
import { setupWorld, USER } from '../support/world';

// The core promise: N parallel callers on a dead token cost the auth server exactly one refresh.
const world = setupWorld();
afterEach(() => void vi.useRealTimers());

describe('one refresh for many callers', () => {
  it('100 parallel authFetch calls on an expired token → one refresh, 100 successes', async () => {
    const auth = world.client();
    await auth.login(USER);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 400_000); // both clocks: expired

    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        auth.authFetch(world.echoUrl, { method: i % 2 ? 'POST' : 'GET', ...(i % 2 ? { body: `n=${i}` } : {}) }),
      ),
    );

    expect(responses.filter((r) => r.status === 200)).toHaveLength(100);
    expect(world.auth.stats.refreshes).toBe(1);
    expect(world.auth.stats.reuseDetected).toBe(0);
    expect(new Set(world.seen.map((s) => s.authorization)).size).toBe(1);
  });

  it('100 parallel 401s that arrive after the refresh finished → still one refresh', async () => {
    const auth = world.client();
    await auth.login(USER);
    world.serverClock.skew = 400_000; // only the server knows the token is dead
    // The first 401 comes back at once; the other 99 only once its refresh is done, however long it takes.
    const refreshed = new Promise((resolve) => auth.on('refresh', resolve));
    world.apiAnswers.after = (index) => (index === 0 ? undefined : refreshed);
    let refreshEvents = 0;
    auth.on('refresh', () => refreshEvents++);

    const responses = await Promise.all(Array.from({ length: 100 }, () => auth.authFetch(world.echoUrl)));

    expect(responses.filter((r) => r.status === 200)).toHaveLength(100);
    expect(world.auth.stats.refreshes).toBe(1);
    expect(refreshEvents).toBe(1);
    // 100 first sends + 100 replays: every late 401 replayed with the new token, none refreshed again.
    expect(world.seen).toHaveLength(200);
  });

  it('concurrent refresh() and restore() calls share one request', async () => {
    const auth = world.client();
    await auth.login(USER);
    const sessions = await Promise.all([auth.refresh(), auth.restore(), auth.refresh(), auth.getAccessToken()]);
    expect(world.auth.stats.refreshes).toBe(1);
    expect(sessions[0]).toEqual(sessions[1]);
  });
});
