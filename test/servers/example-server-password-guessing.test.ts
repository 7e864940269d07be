// @vitest-environment node
// Password guessing on the example server, on one instance (memory) and on two sharing a Redis
// store (the limiter's counters live there too), each call to the other: tries count per account,
// known or not (the same answers, so the limiter tells nobody which emails exist), and per client
// address, each taken before the password is checked. Over a limit: 429 + Retry-After.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../examples/server/index.mjs';
import { otherThan, useServers } from './example-fixture';
import { call, login, sessionOf } from './http.mjs';
import { describeWithRedis } from '../support/redis';
import type { RedisServer } from '../support/redis-server.mjs';
import { startServerProcess } from '../support/server-process.mjs';

describe('one instance, memory store', () => {
  passwordGuessing();
});

describeWithRedis('two instances, one Redis store', (redis) => {
  passwordGuessing(redis);
});

/** Each answer as `<status> <error> <Retry-After>`. */
const shapes = (answers: Response[]): Promise<string[]> =>
  Promise.all(answers.map(async (res) => `${res.status} ${((await res.json()) as { error: string }).error} ${res.headers.get('Retry-After')}`));
/** The same, with Retry-After as N once checked to be whole seconds within `window`. */
async function masked(answers: Response[], window = 900): Promise<string[]> {
  return (await shapes(answers)).map((shape) => {
    const [, seconds] = / (\d+)$/.exec(shape) ?? [];
    if (seconds === undefined) return shape;
    expect(Number(seconds)).toBeGreaterThan(0);
    expect(Number(seconds)).toBeLessThanOrEqual(window);
    return shape.replace(/\d+$/, 'N');
  });
}
const newEmail = () => `u-${randomUUID()}@example.com`;

function passwordGuessing(redis?: () => RedisServer) {
  const servers = useServers(redis);
  const on = (i: number) => (i % 2 ? servers.a : servers.b);
  /** A user of its own per test, so tests do not share an account's count. */
  async function newUser(): Promise<{ email: string; password: string }> {
    const user = { email: newEmail(), password: 'long-enough' };
    await sessionOf(await call(servers.a, 'POST', '/auth/register', { body: user }));
    return user;
  }

  it('40 wrong passwords for one account, then the right one: 429 with Retry-After, not signed in', async () => {
    const user = await newUser();
    const answers: Response[] = [];
    for (let i = 0; i < 40; i++) answers.push(await login(on(i), i % 2 ? user.email : ` ${user.email.toUpperCase()}`, `guess-${i}`));
    expect(await masked(answers)).toEqual([...Array(10).fill('401 invalid_credentials null'), ...Array(30).fill('429 too_many_attempts N')]);

    const last = await login(servers.a, user.email, user.password);
    expect(last.headers.getSetCookie()).toEqual([]);
    expect(await masked([last])).toEqual(['429 too_many_attempts N']);
  });

  it('an unknown account gets the same answers, in the same order, as a known one', async () => {
    const user = await newUser();
    const nobody = newEmail();
    const known: Response[] = [];
    const unknown: Response[] = [];
    for (let i = 0; i < 12; i++) {
      known.push(await login(on(i), user.email, 'not-the-password'));
      unknown.push(await login(on(i), nobody, 'not-the-password'));
    }
    const unknownShapes = await masked(unknown);
    expect(unknownShapes).toEqual(await masked(known));
    expect(unknownShapes.slice(9)).toEqual(['401 invalid_credentials null', '429 too_many_attempts N', '429 too_many_attempts N']);
  });

  it('40 parallel wrong passwords for one account, split over the instances: 10 are checked, 30 are 429', async () => {
    const user = await newUser();
    const seen = await masked(await Promise.all(Array.from({ length: 40 }, (_, i) => login(on(i), user.email, 'not-the-password'))));
    expect(seen.filter((shape) => shape === '401 invalid_credentials null')).toHaveLength(10);
    expect(seen.filter((shape) => shape === '429 too_many_attempts N')).toHaveLength(30);
  });

  it('a right password is not a failure: it clears the account count', async () => {
    const user = await newUser();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 9; i++) expect((await login(on(i), user.email, 'not-the-password')).status).toBe(401);
      await sessionOf(await login(on(round), user.email, user.password));
    }
  });

  describe('limits.passwordsPerAccount, passwordsPerAddress and window', () => {
    const strict = useServers(redis, { limits: { passwordsPerAccount: 3, passwordsPerAddress: 5, window: 60 } });
    const strictOn = (i: number) => (i % 2 ? strict.a : strict.b);

    it('set the budgets; the address counts every account, and a right password gives its try back', async () => {
      await strict.a.app.ready;
      for (let i = 0; i < 8; i++) await sessionOf(await login(strictOn(i), DEMO_USER.email, DEMO_USER.password));
      const answers: Response[] = [];
      for (let i = 0; i < 4; i++) answers.push(await login(strictOn(i), 'ann@example.com', 'not-the-password'));
      for (let i = 0; i < 2; i++) answers.push(await login(strictOn(i), newEmail(), 'not-the-password'));
      answers.push(await login(strict.a, DEMO_USER.email, DEMO_USER.password));
      const unchecked = '401 invalid_credentials null';
      expect(await masked(answers, 60)).toEqual([unchecked, unchecked, unchecked, '429 too_many_attempts N', unchecked, unchecked, '429 too_many_attempts N']);
    });
  });
}

it('main.mjs takes the limits from LIMIT_PASSWORDS_PER_ACCOUNT, LIMIT_PASSWORDS_PER_ADDRESS, LIMIT_CODES_PER_ACCOUNT and LIMIT_WINDOW', async () => {
  const server = await startServerProcess({ LIMIT_PASSWORDS_PER_ACCOUNT: '2', LIMIT_PASSWORDS_PER_ADDRESS: '3', LIMIT_CODES_PER_ACCOUNT: '1', LIMIT_WINDOW: '30' });
  try {
    const wrong = () => login(server, 'ann@example.com', 'nope-nope');
    const answers = [await wrong(), await wrong(), await wrong(), await login(server, 'bob@example.com', 'nope-nope'), await login(server, 'carol@example.com', 'nope-nope')];
    const unchecked = '401 invalid_credentials null';
    expect(await masked(answers, 30)).toEqual([unchecked, unchecked, '429 too_many_attempts N', unchecked, '429 too_many_attempts N']);

    const { token } = await sessionOf(await call(server, 'POST', '/auth/register', { body: { email: newEmail(), password: 'long-enough' } }));
    await call(server, 'POST', '/auth/mfa/enroll', { token });
    const confirm = () => call(server, 'POST', '/auth/mfa/confirm', { token, body: { code: otherThan('000000') } });
    expect(await masked([await confirm(), await confirm()], 30)).toEqual(['422 invalid_code null', '429 too_many_attempts N']);
  } finally {
    await server.stop();
  }
});
