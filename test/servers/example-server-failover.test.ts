// @vitest-environment node
// Two example server processes sharing one Redis: kill one mid-run and the other serves every
// session; restart both and the sessions are still there.
import { expect, it } from 'vitest';
import { DEMO_USER } from '../../examples/server/index.mjs';
import { call, cookieOf, me, refreshResult, signIn, type Session } from './http.mjs';
import { describeWithRedis } from '../support/redis';
import { useInstances } from '../support/instances';

describeWithRedis('two instances on one Redis: failure and restart', (redis) => {
  const { pair, newDatabase } = useInstances(redis);

  it('kill one instance mid-run: the other serves every session, nothing is lost', async () => {
    // 20 devices of the demo user sign in at once: more tries in flight than the 10 an account has by default.
    // The retry of a refresh A rotated before dying must land inside the reuse interval, however loaded the machine.
    const [a, b] = await pair({ LIMIT_PASSWORDS_PER_ACCOUNT: '20', REUSE_INTERVAL: '60' });
    const sessions = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(i % 2 ? a : b, DEMO_USER)));
    const issuedByA = sessions[1]!.token;
    let failovers = 0;
    let aDead: Promise<void> | undefined;
    // As a load balancer would: a request the dead instance cannot answer is sent to the other one,
    // with the same cookie (the rotation A may have made before dying is inside the reuse interval).
    async function refreshWithFailover(session: Session, round: number, i: number) {
      const target = (round + i) % 2 ? a : b;
      let result;
      try {
        result = await refreshResult(target, session.cookie);
      } catch {
        failovers++;
        result = await refreshResult(b, session.cookie);
      }
      expect(result.status).toBe(200);
      Object.assign(session, { cookie: result.cookie, token: result.token });
    }
    for (let round = 0; round < 6; round++) {
      const inFlight = Promise.all(sessions.map((session, i) => refreshWithFailover(session, round, i)));
      if (round === 2) aDead = a.kill(); // while this round's requests are on their way
      await inFlight;
    }
    await aDead;
    expect(failovers).toBeGreaterThanOrEqual(10);
    for (const session of sessions) {
      expect(await me(b, session.token)).toEqual({ status: 200, userId: session.user.id });
      expect((await refreshResult(b, session.cookie)).status).toBe(200);
    }
    // A's tokens outlive A: B checks them with the same configured key.
    expect((await me(b, issuedByA)).status).toBe(200);
    expect(await b.stats()).toMatchObject({ rejectedRefreshes: 0, reuseDetected: 0 });
  });

  it('restart both: users and sessions survive, because they live in Redis', async () => {
    const db = newDatabase();
    const [a, b] = await pair({}, db);
    const credentials = { email: `restart-${Date.now()}@example.com`, password: 'long-enough-password' };
    const registered = await call(a, 'POST', '/auth/register', { body: credentials });
    expect(registered.status).toBe(201);
    const newUser = { cookie: cookieOf(registered), ...((await registered.json()) as { accessToken: string }) };
    const demo = await signIn(b, DEMO_USER);
    await Promise.all([a.stop(), b.stop()]);

    const [a2, b2] = await pair({}, db);
    const renewed = await refreshResult(b2, newUser.cookie);
    expect(renewed.status).toBe(200);
    expect((await refreshResult(a2, demo.cookie)).status).toBe(200);
    expect(await me(a2, demo.token)).toEqual({ status: 200, userId: demo.user.id });
    const again = await signIn(b2, credentials);
    expect(await me(a2, renewed.token)).toEqual({ status: 200, userId: again.user.id });
    expect((await signIn(a2, DEMO_USER)).user.id).toBe(demo.user.id);
  });
}, { timeout: 60_000 }); // four processes to start in the second test
