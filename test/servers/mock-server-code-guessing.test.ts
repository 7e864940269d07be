// @vitest-environment node
// Second-factor guessing on the mock: wrong codes count per account, across challenges (a new
// password login mints a new challenge, not new tries), and each try is counted before its code
// is checked, so parallel guesses cannot all pass the check. A locked account is 429 + Retry-After.
import { describe, expect, test } from 'vitest';
import { createAuthServer, generateTotp } from 'tokenkeeper/msw';
import { API, MOCK, useMockServer } from './mock-fixture';
import { call, login, sessionOf } from './http.mjs';

const SECRET = 'JBSWY3DPEHPK3PXP';
const BOB = { email: 'bob@example.com', password: 'builder-123', totpSecret: SECRET };
const { auth, clock, server } = useMockServer({ users: [BOB] });

async function challenge(): Promise<string> {
  const res = await login(MOCK, BOB.email, BOB.password);
  expect(res.status).toBe(401);
  return ((await res.json()) as { mfaToken: string }).mfaToken;
}
const verify = (mfaToken: string, code: string): Promise<Response> => call(MOCK, 'POST', '/auth/mfa/verify', { body: { mfaToken, code } });
const right = (): Promise<string> => generateTotp(SECRET, clock.now);
const wrong = async (): Promise<string> => ((await right()) === '000000' ? '111111' : '000000');

/** How many answers were which: `{ 'invalid_code': 5, 'too_many_attempts': 35 }`. */
async function tally(answers: Response[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const res of answers) {
    const { error } = (await res.json()) as { error: string };
    counts[`${res.status} ${error}`] = (counts[`${res.status} ${error}`] ?? 0) + 1;
  }
  return counts;
}

describe('wrong codes count per account, across challenges', () => {
  test('60 wrong codes over 12 fresh challenges, then the right code: 429 with Retry-After, not signed in', async () => {
    const answers: Response[] = [];
    for (let i = 0; i < 12; i++) {
      const mfaToken = await challenge();
      for (let j = 0; j < 5; j++) answers.push(await verify(mfaToken, await wrong()));
    }
    expect(await tally(answers)).toEqual({ '401 invalid_code': 5, '429 too_many_attempts': 55 });

    const last = await verify(await challenge(), await right());
    expect(last.status).toBe(429);
    expect(last.headers.get('Retry-After')).toBe('900'); // the window started at the first wrong code; the clock stood still
    expect(await last.json()).toEqual({ error: 'too_many_attempts' });
    expect(last.headers.getSetCookie()).toEqual([]);
    expect(auth.stats.logins).toBe(0);
  });

  test('40 parallel wrong guesses on one challenge: 5 are checked, 35 are 429', async () => {
    const mfaToken = await challenge();
    const guess = await wrong();
    const answers = await Promise.all(Array.from({ length: 40 }, () => verify(mfaToken, guess)));
    expect(await tally(answers)).toEqual({ '401 invalid_code': 5, '429 too_many_attempts': 35 });
    expect(auth.stats.logins).toBe(0);
  });

  test('the lock lasts its window, Retry-After counting down on the server clock; a success starts the count again', async () => {
    const mfaToken = await challenge();
    for (const attemptsLeft of [4, 3, 2, 1, 0]) expect(await (await verify(mfaToken, await wrong())).json()).toEqual({ error: 'invalid_code', attemptsLeft });
    clock.now += 899_000;
    const locked = await verify(await challenge(), await right());
    expect(locked.status).toBe(429);
    expect(locked.headers.get('Retry-After')).toBe('1');

    clock.now += 1_000;
    await sessionOf(await verify(await challenge(), await right()));
    expect(await (await verify(await challenge(), await wrong())).json()).toEqual({ error: 'invalid_code', attemptsLeft: 4 });
  });

  test('codes tried on disable share the budget: an access token cannot guess more by switching endpoints', async () => {
    const { token } = await sessionOf(await verify(await challenge(), await right()));
    clock.now += 30_000; // past the signing-in code's window
    for (let i = 0; i < 5; i++) expect((await call(MOCK, 'POST', '/auth/mfa/disable', { token, body: { code: await wrong() } })).status).toBe(422);
    const disable = await call(MOCK, 'POST', '/auth/mfa/disable', { token, body: { code: await right() } });
    expect(disable.status).toBe(429);
    expect(disable.headers.get('Retry-After')).toBe('900');
    expect((await verify(await challenge(), await right())).status).toBe(429);
  });

  test('reset() clears the count, synchronously', async () => {
    for (let i = 0; i < 5; i++) await verify(await challenge(), await wrong());
    expect((await verify(await challenge(), await right())).status).toBe(429);
    auth.reset();
    expect((await verify(await challenge(), await right())).status).toBe(200);
  });

  test('limits.codesPerAccount and limits.window set the budget', async () => {
    const strict = createAuthServer({ baseUrl: API, now: () => clock.now, users: [BOB], limits: { codesPerAccount: 2, window: 60 } });
    server.use(...strict.handlers);
    const mfaToken = await challenge();
    expect(await tally([await verify(mfaToken, await wrong()), await verify(mfaToken, await wrong()), await verify(mfaToken, await right())]))
      .toEqual({ '401 invalid_code': 2, '429 too_many_attempts': 1 });
    expect((await verify(await challenge(), await right())).headers.get('Retry-After')).toBe('60');
    clock.now += 60_000;
    expect((await verify(await challenge(), await right())).status).toBe(200);
  });
});
