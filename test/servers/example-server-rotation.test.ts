// @vitest-environment node
// Two example server processes sharing one Redis behave as one server: 200 concurrent refreshes of
// one cookie split across both count as on one instance (one rotation; the rest inside the reuse
// interval, or reuse). Counts come from the servers' own /__stats.
import { expect, it } from 'vitest';
import { DEMO_USER, startServer } from '../../examples/server/index.mjs';
import { me, refreshResult, resetStats, signIn, totals, type Target } from './http.mjs';
import { describeWithRedis } from '../support/redis';
import { useInstances } from '../support/instances';

describeWithRedis('two instances on one Redis: rotation', (redis) => {
  const { pair } = useInstances(redis);

  /** 200 concurrent refreshes of one cookie, alternating between `targets`. */
  async function stampede(targets: Target[], cookie: string) {
    return Promise.all(Array.from({ length: 200 }, (_, i) => refreshResult(targets[i % targets.length]!, cookie)));
  }

  it('seed the demo user once: both instances, started together on an empty Redis, know it by one id', async () => {
    const [a, b] = await pair();
    const [onA, onB] = await Promise.all([signIn(a, DEMO_USER), signIn(b, DEMO_USER)]);
    expect(onB.user.id).toBe(onA.user.id);
    expect((await me(b, onA.token)).userId).toBe(onA.user.id);
    expect((await me(a, onB.token)).userId).toBe(onA.user.id);
  });

  it('200 concurrent refreshes of one cookie split across both: one rotation, the rest inside the reuse interval, as on one instance', async () => {
    // Long enough that 200 refreshes on a loaded machine all land inside it: they are one stampede.
    const [a, b] = await pair({ REUSE_INTERVAL: '60' });
    const { cookie } = await signIn(a, DEMO_USER);
    await resetStats([a, b]);
    const results = await stampede([a, b], cookie);
    expect(results.map((r) => r.status)).toEqual(Array(200).fill(200));
    const { sum, each } = await totals([a, b]);
    expect(sum).toMatchObject({ refreshes: 200, rotations: 1, rejectedRefreshes: 0, reuseDetected: 0 });
    expect(each.map((stats) => stats['refreshes'])).toEqual([100, 100]);
    // Whichever answer the browser kept, its cookie goes on working.
    for (const { cookie: kept } of [results[0]!, results[199]!]) expect((await refreshResult(b, kept)).status).toBe(200);

    // The same stampede against one in-memory instance counts the same.
    const single = await startServer({ port: 0, reuseInterval: 60 });
    try {
      const alone = await stampede([single], (await signIn(single, DEMO_USER)).cookie);
      expect(alone.map((r) => r.status)).toEqual(Array(200).fill(200));
      expect(single.stats).toMatchObject({ refreshes: 200, rotations: 1, rejectedRefreshes: 0, reuseDetected: 0 });
    } finally {
      await single.close();
    }
  });

  it('with REUSE_INTERVAL=0 the same stampede yields one refresh; the rest are reuse and the family dies, as on one instance', async () => {
    const [a, b] = await pair({ REUSE_INTERVAL: '0' });
    const { cookie } = await signIn(b, DEMO_USER);
    await resetStats([a, b]);
    const results = await stampede([a, b], cookie);
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    const { sum } = await totals([a, b]);
    expect(sum).toMatchObject({ refreshes: 1, rotations: 1, rejectedRefreshes: 199 });
    expect(sum['reuseDetected']).toBeGreaterThanOrEqual(1);
    // Reuse revoked the family, the winner's new token included.
    expect((await refreshResult(a, winners[0]!.cookie)).status).toBe(401);

    const single = await startServer({ port: 0, reuseInterval: 0 });
    try {
      const alone = await stampede([single], (await signIn(single, DEMO_USER)).cookie);
      expect(alone.filter((r) => r.status === 200)).toHaveLength(1);
      expect(single.stats).toMatchObject({ refreshes: 1, rotations: 1, rejectedRefreshes: 199 });
    } finally {
      await single.close();
    }
  });
}, { timeout: 60_000 }); // two processes to start per test, and 200 requests: 16 s of 20 seen on a loaded machine
