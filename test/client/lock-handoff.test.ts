import { setTimeout as sleep } from 'node:timers/promises';
import { delay, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthClient } from 'tokenkeeper';
import { useLockManager } from '../support/lock-manager';
import { API, setupWorld, USER } from '../support/world';

// Issue 8, property 12: the refresh lock never costs a session.
const world = setupWorld();
useLockManager();
afterEach(() => {
  vi.useRealTimers();
});

const slowRefreshes = (ms: number) =>
  world.server.use(http.post(`${API}/auth/refresh-token`, async () => void (await delay(ms))));

describe('the refresh lock', () => {
  it('20 rapid dispose-and-create cycles (StrictMode, hot reload) end signed in, with one refresh and no reuse', async () => {
    const first = world.client({ crossTab: true });
    await first.login(USER);
    first.dispose();
    slowRefreshes(600);
    const before = { ...world.auth.stats };

    let client: AuthClient | undefined;
    const restores: Array<Promise<unknown>> = [];
    for (let cycle = 0; cycle < 20; cycle++) {
      client?.dispose();
      client = world.client({ crossTab: true });
      restores.push(client.restore().catch((error: unknown) => error));
    }
    const session = await restores.at(-1);

    expect(session).toMatchObject({ user: { email: USER.email } });
    expect(client!.getState().status).toBe('authenticated');
    expect(world.auth.stats.reuseDetected - before.reuseDetected).toBe(0);
    expect(world.auth.stats.rejectedRefreshes - before.rejectedRefreshes).toBe(0);
    await Promise.all(restores); // every disposed client's restore settled too
  });

  it('a waiting tab does not skip the lock while the holder’s refresh is still at the server', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    /** Lets fake time run, 10 ms per real millisecond, until `promise` settles. */
    const settle = async <T>(promise: Promise<T>) => {
      let done = false;
      void promise.finally(() => (done = true)).catch(() => {});
      while (!done) {
        await sleep(1); // a real millisecond, so real I/O (msw) gets done whatever the machine's load
        await vi.advanceTimersByTimeAsync(10);
      }
      return promise;
    };
    const tabA = world.client({ crossTab: true, timeout: 120_000 });
    const tabB = world.client({ crossTab: true, timeout: 120_000 });
    await settle(tabB.restore());
    await settle(tabA.login(USER));
    slowRefreshes(12_000); // slower than 0.1's fixed 10 s escape, well within the timeout
    const before = { ...world.auth.stats };

    const refreshingA = tabA.refresh();
    await vi.advanceTimersByTimeAsync(10);
    const [a, b] = await settle(Promise.all([refreshingA, tabB.refresh()]));

    expect(a).toMatchObject({ user: { email: USER.email } });
    expect(b).toMatchObject({ user: { email: USER.email } });
    expect(world.auth.stats.refreshes - before.refreshes).toBe(1);
    expect(world.auth.stats.reuseDetected - before.reuseDetected).toBe(0);
  });
});
