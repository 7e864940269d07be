// @vitest-environment node
// Second-factor guessing on the example server, on one instance (memory store) and on two sharing
// a Redis store, each call to the other: wrong codes count per account, across challenges, and a
// try is taken in one atomic store operation before its code is checked, so parallel guesses split
// over instances cannot all pass the check. A locked account is 429 + Retry-After.
import { describe, expect, it } from 'vitest';
import { mfaUsers, otherThan, useServers, type Servers } from './example-fixture';
import { call, sessionOf } from './http.mjs';
import { describeWithRedis } from '../support/redis';

describe('one instance, memory store', () => {
  codeGuessing(useServers(), { clockedWindow: true });
});

describeWithRedis('two instances, one Redis store', (redis) => {
  codeGuessing(useServers(redis), { clockedWindow: false });
});

/** `{ '401 invalid_code': 5, '429 too_many_attempts': 55 }` */
async function tally(answers: Response[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const res of answers) {
    const name = `${res.status} ${((await res.json()) as { error: string }).error}`;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** @param clockedWindow the store counts the window on the app's clock (memory), not its own (Redis) */
function codeGuessing(servers: Servers, { clockedWindow }: { clockedWindow: boolean }) {
  const { clock } = servers;
  const { code, enrolledUser, challenge, verify } = mfaUsers(servers);
  const on = (i: number) => (i % 2 ? servers.a : servers.b);

  it('60 wrong codes over 12 fresh challenges, then the right code: 429 with Retry-After, not signed in', async () => {
    const user = await enrolledUser();
    const answers: Response[] = [];
    for (let i = 0; i < 12; i++) {
      const mfaToken = await challenge(user);
      for (let j = 0; j < 5; j++) answers.push(await verify({ mfaToken, code: otherThan(code(user.secret)) }, on(j)));
    }
    expect(await tally(answers)).toEqual({ '401 invalid_code': 5, '429 too_many_attempts': 55 });

    const last = await verify({ mfaToken: await challenge(user), code: code(user.secret) });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(Number(last.headers.get('Retry-After'))).toBeLessThanOrEqual(900);
    expect(await last.json()).toEqual({ error: 'too_many_attempts' });
    expect(last.headers.getSetCookie()).toEqual([]);
  });

  it('40 parallel wrong guesses on one challenge, split over the instances: 5 are checked, 35 are 429', async () => {
    const user = await enrolledUser();
    const mfaToken = await challenge(user);
    const guess = otherThan(code(user.secret));
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => verify({ mfaToken, code: guess }, on(i))));
    expect(await tally(answers)).toEqual({ '401 invalid_code': 5, '429 too_many_attempts': 35 });
    expect(answers.filter((res) => res.headers.getSetCookie().length > 0)).toEqual([]);
  });

  it('codes tried on disable share the budget: an access token cannot guess more by switching endpoints', async () => {
    const user = await enrolledUser();
    const { token } = await sessionOf(await verify({ mfaToken: await challenge(user), code: code(user.secret) }));
    clock.now += 30_000; // past the signing-in code's window
    const disable = (value: string, i: number) => call(on(i), 'POST', '/auth/mfa/disable', { token, body: { code: value } });
    for (let i = 0; i < 5; i++) expect((await disable(otherThan(code(user.secret)), i)).status).toBe(422);
    const locked = await disable(code(user.secret), 5);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('Retry-After')).toMatch(/^[1-9]\d*$/);
    expect((await verify({ mfaToken: await challenge(user), code: code(user.secret) })).status).toBe(429);
  });

  it('a right code starts the count again', async () => {
    const user = await enrolledUser();
    for (let round = 0; round < 3; round++) {
      const mfaToken = await challenge(user);
      for (const attemptsLeft of [4, 3, 2, 1]) {
        expect(await (await verify({ mfaToken, code: otherThan(code(user.secret)) }, on(attemptsLeft))).json()).toEqual({ error: 'invalid_code', attemptsLeft });
      }
      await sessionOf(await verify({ mfaToken, code: code(user.secret) }));
      clock.now += 30_000; // the next code
    }
  });

  it.runIf(clockedWindow)('the lock lasts its window on the app clock, Retry-After counting down', async () => {
    const user = await enrolledUser();
    const mfaToken = await challenge(user);
    for (let i = 0; i < 5; i++) await verify({ mfaToken, code: otherThan(code(user.secret)) });
    expect((await verify({ mfaToken, code: code(user.secret) })).headers.get('Retry-After')).toBe('900');
    clock.now += 899_000;
    expect((await verify({ mfaToken: await challenge(user), code: code(user.secret) })).headers.get('Retry-After')).toBe('1');
    clock.now += 1_000;
    await sessionOf(await verify({ mfaToken: await challenge(user), code: code(user.secret) }));
  });
}

describe('limits.codesPerAccount and limits.window', () => {
  const servers = useServers(undefined, { limits: { codesPerAccount: 2, window: 60 } });
  const { code, enrolledUser, challenge, verify } = mfaUsers(servers);

  it('set the budget', async () => {
    const user = await enrolledUser();
    const mfaToken = await challenge(user);
    const wrong = () => verify({ mfaToken, code: otherThan(code(user.secret)) });
    expect(await tally([await wrong(), await wrong(), await verify({ mfaToken, code: code(user.secret) })])).toEqual({ '401 invalid_code': 2, '429 too_many_attempts': 1 });
    expect((await wrong()).headers.get('Retry-After')).toBe('60');
    servers.clock.now += 60_000;
    await sessionOf(await verify({ mfaToken: await challenge(user), code: code(user.secret) }));
  });
});
