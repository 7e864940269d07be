// @vitest-environment node
// Password guessing on the mock: tries count per account (known or not, so the limiter tells
// nobody which emails exist) and per client address (X-Forwarded-For, else one shared bucket),
// each counted before the password is checked. Over a limit: 429 + Retry-After.
import { describe, expect, test } from 'vitest';
import { createAuthServer } from 'tokenkeeper/msw';
import { API, MOCK, useMockServer } from './mock-fixture';
import { call, login, sessionOf } from './http.mjs';

const ALICE = { email: 'alice@example.com', password: 'wonderland' };
const { auth, clock, server } = useMockServer({ users: [ALICE] });

const attempt = (email: string, password: string, address?: string): Promise<Response> =>
  call(MOCK, 'POST', '/auth/login', { body: { email, password }, ...(address ? { headers: { 'X-Forwarded-For': address } } : {}) });

/** Each answer as `<status> <error>`, and the Retry-After of the 429s. */
async function shapes(answers: Response[]): Promise<string[]> {
  return Promise.all(answers.map(async (res) => `${res.status} ${((await res.json()) as { error: string }).error} ${res.headers.get('Retry-After')}`));
}
const wrongs = (n: number, email: string) => Array.from({ length: n }, () => attempt(email, 'not-the-password'));

describe('password guessing', () => {
  test('40 wrong passwords for one account, then the right one: 429 with Retry-After, not signed in', async () => {
    const answers: Response[] = [];
    for (let i = 0; i < 40; i++) answers.push(await attempt(i % 2 ? ALICE.email : ' Alice@Example.COM', `guess-${i}`));
    const seen = await shapes(answers);
    expect(seen.slice(0, 10)).toEqual(Array(10).fill('401 invalid_credentials null'));
    expect(seen.slice(10)).toEqual(Array(30).fill('429 too_many_attempts 900'));

    const last = await login(MOCK, ALICE.email, ALICE.password);
    expect(last.status).toBe(429);
    expect(last.headers.get('Retry-After')).toBe('900');
    expect(last.headers.getSetCookie()).toEqual([]);
    expect(auth.stats.logins).toBe(0);
  });

  test('an unknown account gets the same answers, in the same order, as a known one', async () => {
    const known: Response[] = [];
    const unknown: Response[] = [];
    for (let i = 0; i < 15; i++) {
      known.push(await attempt(ALICE.email, 'not-the-password', '198.51.100.1'));
      unknown.push(await attempt('nobody@example.com', 'not-the-password', '198.51.100.2'));
    }
    const answers = await shapes(unknown);
    expect(answers).toEqual(await shapes(known));
    expect(answers.slice(9, 11)).toEqual(['401 invalid_credentials null', '429 too_many_attempts 900']);
  });

  test('40 parallel wrong passwords for one account: 10 are checked, 30 are 429', async () => {
    const seen = await shapes(await Promise.all(wrongs(40, ALICE.email)));
    expect(seen.filter((s) => s.startsWith('401 invalid_credentials'))).toHaveLength(10);
    expect(seen.filter((s) => s === '429 too_many_attempts 900')).toHaveLength(30);
  });

  test('per client address: 100 wrong passwords over many accounts lock that address only', async () => {
    const address = '203.0.113.7';
    for (let i = 0; i < 100; i++) expect((await attempt(`user-${i % 20}@example.com`, 'nope-nope', address)).status).toBe(401);
    const locked = await attempt(ALICE.email, ALICE.password, address);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('Retry-After')).toBe('900');
    await sessionOf(await attempt(ALICE.email, ALICE.password, '203.0.113.8'));
  });

  test('a right password is not a failure: it clears the account count and gives the address its try back', async () => {
    server.use(...createAuthServer({ baseUrl: API, now: () => clock.now, users: [ALICE], limits: { passwordsPerAccount: 3, passwordsPerAddress: 3 } }).handlers);
    for (let i = 0; i < 10; i++) await sessionOf(await attempt(ALICE.email, ALICE.password, '192.0.2.1'));
    for (let round = 0; round < 3; round++) {
      const address = `192.0.2.${10 + round}`;
      for (let i = 0; i < 2; i++) expect((await attempt(ALICE.email, 'nope-nope', address)).status).toBe(401);
      await sessionOf(await attempt(ALICE.email, ALICE.password, address));
    }
  });

  test('the lock lasts its window on the server clock; reset() clears it at once', async () => {
    await Promise.all(wrongs(10, ALICE.email));
    clock.now += 899_000;
    expect((await login(MOCK, ALICE.email, ALICE.password)).headers.get('Retry-After')).toBe('1');
    clock.now += 1_000;
    await sessionOf(await login(MOCK, ALICE.email, ALICE.password));

    await Promise.all(wrongs(10, ALICE.email));
    expect((await login(MOCK, ALICE.email, ALICE.password)).status).toBe(429);
    auth.reset();
    await sessionOf(await login(MOCK, ALICE.email, ALICE.password));
  });

  test('limits.passwordsPerAccount, passwordsPerAddress and window set the budgets; Infinity turns one off', async () => {
    const strict = createAuthServer({ baseUrl: API, now: () => clock.now, users: [ALICE], limits: { passwordsPerAccount: 3, passwordsPerAddress: 4, window: 60 } });
    server.use(...strict.handlers);
    expect((await shapes(await Promise.all(wrongs(4, ALICE.email)))).sort()).toEqual([...Array(3).fill('401 invalid_credentials null'), '429 too_many_attempts 60']);
    expect(await shapes([await attempt('bob@example.com', 'nope-nope'), await attempt('carol@example.com', 'nope-nope')])).toEqual(['401 invalid_credentials null', '429 too_many_attempts 60']);

    const open = createAuthServer({ baseUrl: API, users: [ALICE], limits: { passwordsPerAccount: Infinity, passwordsPerAddress: Infinity } });
    server.use(...open.handlers);
    expect((await Promise.all(wrongs(30, ALICE.email))).map((res) => res.status)).toEqual(Array(30).fill(401));
    await sessionOf(await login(MOCK, ALICE.email, ALICE.password));
  });
});
