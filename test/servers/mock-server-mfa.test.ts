// @vitest-environment node
// The mock's TOTP second factor: login's mfa_required challenge, POST /auth/mfa/verify, and
// enrol / confirm / disable. Every bad input is refused with a 4xx and no session.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createAuthServer, generateTotp } from 'tokenkeeper/msw';
import { MOCK, useMockServer } from './mock-fixture';
import { call, cookieOf, login, refresh, sessionOf } from './http.mjs';

const BOB_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // RFC 6238's "12345678901234567890"
const DAVE_SECRET = 'JBSWY3DPEHPK3PXP';
const { auth, clock } = useMockServer({
  users: [
    { email: 'alice@example.com', password: 'wonderland' },
    { email: 'bob@example.com', password: 'builder-123', totpSecret: BOB_SECRET },
    { email: 'dave@example.com', password: 'dave-secret', totpSecret: DAVE_SECRET },
  ],
});

interface Challenge {
  error: string;
  mfa_required: boolean;
  mfaToken: string;
  mfaMethods: string[];
}

async function challenge(email = 'bob@example.com', password = 'builder-123'): Promise<string> {
  const res = await login(MOCK, email, password);
  expect(res.status).toBe(401);
  return ((await res.json()) as Challenge).mfaToken;
}
const verify = (body: unknown): Promise<Response> => call(MOCK, 'POST', '/auth/mfa/verify', { body });
const code = (secret = BOB_SECRET, at = clock.now): Promise<string> => generateTotp(secret, at);

describe('generateTotp', () => {
  test('gives RFC 6238 appendix B codes (SHA-1), truncated to 6 digits', async () => {
    const vectors: Array<[number, string]> = [
      [59, '287082'],
      [1_111_111_109, '081804'],
      [1_111_111_111, '050471'],
      [1_234_567_890, '005924'],
      [2_000_000_000, '279037'],
      [20_000_000_000, '353130'],
    ];
    for (const [seconds, expected] of vectors) expect(await generateTotp(BOB_SECRET, seconds * 1000)).toBe(expected);
    // Authenticator apps show secrets in lower case and groups of four.
    expect(await generateTotp('gezd gnbv gy3t qojq gezd gnbv gy3t qojq', 59_000)).toBe('287082');
    await expect(generateTotp('not base32!', 0)).rejects.toThrow(TypeError);
  });

  test('createAuthServer refuses a seeded totpSecret that is not base32, at once', () => {
    const users = [{ email: 'eve@example.com', password: 'password-1', totpSecret: 'secret1!' }];
    expect(() => createAuthServer({ baseUrl: 'https://api.example.com', users })).toThrow(
      'createAuthServer: totpSecret of "eve@example.com" must be base32 (A-Z, 2-7)',
    );
  });
});

describe('login of a user with a second factor', () => {
  test('answers 401 mfa_required with a challenge, and no session', async () => {
    const res = await login(MOCK, 'bob@example.com', 'builder-123');

    expect(res.status).toBe(401);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await res.json()).toEqual({ error: 'mfa_required', mfa_required: true, mfaToken: expect.any(String), mfaMethods: ['totp'] });
    expect(auth.stats.logins).toBe(0);
  });

  test('a wrong password still answers invalid_credentials, never a challenge', async () => {
    const res = await login(MOCK, 'bob@example.com', 'wrong-password');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_credentials' });
  });

  test('verify with the current code answers like login: token, user and refresh cookie', async () => {
    const mfaToken = await challenge();
    const session = await sessionOf(await verify({ mfaToken, code: await code() }));

    expect(session.user).toEqual({ id: 'u2', email: 'bob@example.com' });
    expect(session.cookie).not.toBe('');
    expect((await refresh(MOCK, session.cookie)).status).toBe(200);
    expect((await call(MOCK, 'GET', '/me', { token: session.token })).status).toBe(200);
    expect(auth.stats.logins).toBe(1);
  });

  test.each([
    ['the step before', -30_000, 200],
    ['the step after', 30_000, 200],
    ['two steps before', -60_000, 401],
    ['two steps after', 60_000, 401],
  ])('accepts a code of %s only within ±1 step', async (_name, offset, status) => {
    const mfaToken = await challenge();
    expect((await verify({ mfaToken, code: await code(BOB_SECRET, clock.now + offset) })).status).toBe(status);
  });
});

describe('refused challenges and codes', () => {
  test('a wrong code is 401 invalid_code with the tries left; the fifth locks the account, whatever the challenge', async () => {
    const mfaToken = await challenge();
    const right = await code();
    const wrong = right === '000000' ? '111111' : '000000';
    for (const attemptsLeft of [4, 3, 2, 1, 0]) {
      const res = await verify({ mfaToken, code: wrong });
      expect(res.status).toBe(401);
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await res.json()).toEqual({ error: 'invalid_code', attemptsLeft });
    }
    const late = await verify({ mfaToken, code: right });
    expect(late.status).toBe(429);
    expect(await late.json()).toEqual({ error: 'too_many_attempts' });
    // A new login is a new challenge, not new tries (mock-server-code-guessing.test.ts has the rest).
    expect((await verify({ mfaToken: await challenge(), code: right })).status).toBe(429);
  });

  test('a code that signed in once is refused in its window, even on a new challenge', async () => {
    const used = await code();
    expect((await verify({ mfaToken: await challenge(), code: used })).status).toBe(200);

    const replay = await verify({ mfaToken: await challenge(), code: used });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toEqual({ error: 'invalid_code', attemptsLeft: 4, reason: 'replayed' });
    clock.now += 30_000;
    expect((await verify({ mfaToken: await challenge(), code: await code() })).status).toBe(200);
  });

  test('a challenge signs in once: its token with the next code is invalid_mfa_token', async () => {
    const mfaToken = await challenge();
    expect((await verify({ mfaToken, code: await code() })).status).toBe(200);
    clock.now += 30_000;
    const again = await verify({ mfaToken, code: await code() });
    expect(again.status).toBe(401);
    expect(await again.json()).toEqual({ error: 'invalid_mfa_token' });
  });

  test('two verifies racing with one challenge and one code make one session', async () => {
    const mfaToken = await challenge();
    const current = await code();
    const statuses = await Promise.all(Array.from({ length: 5 }, () => verify({ mfaToken, code: current }).then((res) => res.status)));

    expect(statuses.sort()).toEqual([200, 401, 401, 401, 401]);
    expect(auth.stats.logins).toBe(1);
  });

  test('a challenge expires after 5 minutes', async () => {
    const mfaToken = await challenge();
    clock.now += 299_000;
    const early = await challenge();
    clock.now += 2_000;
    const res = await verify({ mfaToken, code: await code() });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_mfa_token' });
    expect((await verify({ mfaToken: early, code: await code() })).status).toBe(200);
  });

  test('a tampered, forged, unsigned or other-purpose token is invalid_mfa_token', async () => {
    const mfaToken = await challenge();
    const [header, payload, signature] = mfaToken.split('.') as [string, string, string];
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const alice = await sessionOf(await login(MOCK, 'alice@example.com', 'wonderland'));
    const forged = [
      `${header}.${encode({ ...claims, sub: 'u3' })}.${signature}`, // Dave's account, Bob's signature
      `${header}.${encode({ ...claims, exp: Number(claims['exp']) + 3600 })}.${signature}`,
      `${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      alice.token, // an access token is not a challenge
      'not-a-token',
      '',
    ];
    for (const token of forged) {
      const res = await verify({ mfaToken: token, code: await code() });
      expect(res.status, token).toBe(401);
      expect(await res.json()).toEqual({ error: 'invalid_mfa_token' });
    }
    // And a challenge is not an access token.
    expect((await call(MOCK, 'GET', '/me', { token: mfaToken })).status).toBe(401);
    expect((await call(MOCK, 'GET', '/auth/sessions', { token: mfaToken })).status).toBe(401);
    expect((await verify({ mfaToken, code: await code() })).status).toBe(200);
  });

  test("another user's challenge with my code is a wrong code, and signs in nobody", async () => {
    const bobsChallenge = await challenge();
    const res = await verify({ mfaToken: bobsChallenge, code: await code(DAVE_SECRET) });

    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_code' });
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(auth.stats.logins).toBe(0);
  });

  test('malformed bodies and codes are refused with 4xx JSON, never a session', async () => {
    const mfaToken = await challenge();
    const current = await code();
    for (const body of [undefined, 'not json', [], {}, { mfaToken }, { code: current }, { mfaToken, code: Number(current) }, { mfaToken: 42, code: current }]) {
      const res = await verify(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_request' });
    }
    // Taken in turns by two accounts: each has 5 tries.
    const [bob, dave] = [['bob@example.com', 'builder-123'], ['dave@example.com', 'dave-secret']] as const;
    for (const [i, bad] of ['', '12345', '1234567', 'abcdef', `${current}\n1`, '１２３４５６', `-${current.slice(1)}`].entries()) {
      const res = await verify({ mfaToken: await challenge(...(i % 2 ? dave : bob)), code: bad });
      expect(res.status, bad).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'invalid_code' });
    }
    expect(auth.stats.logins).toBe(0);
  });

  test('any JSON body, or any mfaToken and code strings, get a 4xx and no cookie', async () => {
    const answer = async (body: unknown) => {
      const res = await verify(body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.getSetCookie()).toEqual([]);
    };
    await fc.assert(fc.asyncProperty(fc.jsonValue(), answer), { numRuns: 100 });
    await fc.assert(fc.asyncProperty(fc.record({ mfaToken: fc.string(), code: fc.string() }), answer), { numRuns: 100 });
    expect(auth.stats.logins).toBe(0);
  });

  test('accepts a code typed with a space, as apps show it', async () => {
    const current = await code();
    const res = await verify({ mfaToken: await challenge(), code: `${current.slice(0, 3)} ${current.slice(3)}` });
    expect(res.status).toBe(200);
  });
});

describe('enrol, confirm, disable', () => {
  async function alice() {
    return sessionOf(await login(MOCK, 'alice@example.com', 'wonderland'));
  }
  const post = (path: string, token: string, body?: unknown) => call(MOCK, 'POST', path, { token, body });

  test('enrol answers a secret and its otpauth URL; confirm turns login into a challenge', async () => {
    const { token } = await alice();
    const enrolled = await post('/auth/mfa/enroll', token);
    expect(enrolled.status).toBe(200);
    const { secret, otpauthUrl } = (await enrolled.json()) as { secret: string; otpauthUrl: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/api.example.com:alice@example.com');
    expect(Object.fromEntries(url.searchParams)).toEqual({ secret, issuer: 'api.example.com', algorithm: 'SHA1', digits: '6', period: '30' });
    expect(await (await call(MOCK, 'GET', '/auth/mfa', { token })).json()).toEqual({ enabled: false, pending: true });
    // Not on until confirmed: a lost secret cannot lock the user out.
    expect((await login(MOCK, 'alice@example.com', 'wonderland')).status).toBe(200);

    expect((await post('/auth/mfa/confirm', token, { code: await generateTotp(secret, clock.now) })).status).toBe(204);
    expect(await (await call(MOCK, 'GET', '/auth/mfa', { token })).json()).toEqual({ enabled: true, pending: false });
    const mfaToken = await challenge('alice@example.com', 'wonderland');
    clock.now += 30_000; // the confirming code is spent
    expect((await verify({ mfaToken, code: await generateTotp(secret, clock.now) })).status).toBe(200);
    expect((await post('/auth/mfa/enroll', token)).status).toBe(409);
  });

  test('disable needs a current code, then login is one step again', async () => {
    const { token } = await sessionOf(await verify({ mfaToken: await challenge(), code: await code() }));
    const wrong = await post('/auth/mfa/disable', token, { code: '000000' === (await code()) ? '111111' : '000000' });
    expect(wrong.status).toBe(422);
    expect(await wrong.json()).toEqual({ error: 'invalid_code', attemptsLeft: 4 });
    // The code that signed in is spent; the next one works.
    const replayed = await post('/auth/mfa/disable', token, { code: await code() });
    expect(await replayed.json()).toEqual({ error: 'invalid_code', attemptsLeft: 3, reason: 'replayed' });
    clock.now += 30_000;
    expect((await post('/auth/mfa/disable', token, { code: await code() })).status).toBe(204);
    expect((await login(MOCK, 'bob@example.com', 'builder-123')).status).toBe(200);
    expect((await post('/auth/mfa/disable', token, { code: await code() })).status).toBe(409);
  });

  test('five wrong codes lock confirm and disable for the account (429), even with the right code', async () => {
    const { token } = await alice();
    const { secret } = (await (await post('/auth/mfa/enroll', token)).json()) as { secret: string };
    const right = await generateTotp(secret, clock.now);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await post('/auth/mfa/confirm', token, { code: wrong })).status).toBe(422);
    const locked = await post('/auth/mfa/confirm', token, { code: right });
    expect(locked.status).toBe(429);
    expect(await locked.json()).toEqual({ error: 'too_many_attempts' });
    expect(await (await call(MOCK, 'GET', '/auth/mfa', { token })).json()).toEqual({ enabled: false, pending: true });
  });

  test('refuses the wrong state, a bad body and a missing or signed-out token', async () => {
    const { token, cookie } = await alice();
    expect(await (await post('/auth/mfa/confirm', token, { code: '123456' })).json()).toEqual({ error: 'mfa_not_pending' });
    expect(await (await post('/auth/mfa/disable', token, { code: '123456' })).json()).toEqual({ error: 'mfa_not_enabled' });
    await post('/auth/mfa/enroll', token);
    for (const body of [undefined, { code: 123456 }, 'nope']) expect((await post('/auth/mfa/confirm', token, body)).status).toBe(400);

    for (const path of ['/auth/mfa/enroll', '/auth/mfa/confirm', '/auth/mfa/disable']) {
      const res = await call(MOCK, 'POST', path, { body: { code: '123456' } });
      expect(res.status).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"');
    }
    expect((await call(MOCK, 'GET', '/auth/mfa')).status).toBe(401);
    // A device signed out elsewhere keeps a valid access token, but no say over the account.
    await call(MOCK, 'POST', '/auth/logout', { cookie });
    expect((await post('/auth/mfa/enroll', token)).status).toBe(401);
  });

  test('reset() forgets enrolments and brings back the seeded second factors', async () => {
    const { token } = await sessionOf(await verify({ mfaToken: await challenge(), code: await code() }));
    clock.now += 30_000;
    await post('/auth/mfa/disable', token, { code: await code() });
    const { token: aliceToken } = await alice();
    const { secret } = (await (await post('/auth/mfa/enroll', aliceToken)).json()) as { secret: string };
    await post('/auth/mfa/confirm', aliceToken, { code: await generateTotp(secret, clock.now) });

    auth.reset();

    expect((await login(MOCK, 'bob@example.com', 'builder-123')).status).toBe(401);
    expect((await login(MOCK, 'alice@example.com', 'wonderland')).status).toBe(200);
    expect(cookieOf(await login(MOCK, 'alice@example.com', 'wonderland'))).not.toBe('');
  });
});
