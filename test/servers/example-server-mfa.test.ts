// @vitest-environment node
// The example server's TOTP second factor, on one instance (memory store) and on two instances
// sharing a Redis store, each call going to the other: challenges, wrong-code counters and the
// replay guard hold across instances. Every bad input is a 4xx with no session made.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { SignJWT, decodeJwt } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { DEMO_USER, startServer } from '../../examples/server/index.mjs';
import { codeAt, mfaUsers, otherThan, START, useServers, type Servers } from './example-fixture';
import { call, cookieOf, login, refresh, sessionOf, type Session } from './http.mjs';
import { HANG_MS } from '../support/outcome';
import { describeWithRedis } from '../support/redis';
import { startServerProcess } from '../support/server-process.mjs';


describe('otpauth', () => {
  it('gives RFC 6238 appendix B codes (SHA-1), truncated to 6 digits', () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890"
    expect([59, 1_111_111_109, 1_234_567_890, 20_000_000_000].map((s) => codeAt(secret, s * 1000))).toEqual(['287082', '081804', '005924', '353130']);
  });
});

describe('one instance, memory store', () => {
  mfaContract(useServers());
});

describeWithRedis('two instances, one Redis store', (redis) => {
  mfaContract(useServers(redis));
});

function mfaContract(servers: Servers) {
  const { clock } = servers;
  const { code, newUser, enrolledUser, challenge, verify } = mfaUsers(servers);

  describe('login with a second factor', () => {
    it('answers 401 mfa_required with a challenge and no session; verify answers like login', async () => {
      const user = await enrolledUser();
      const res = await login(servers.a, user.email, user.password);
      expect(res.status).toBe(401);
      expect(res.headers.getSetCookie()).toEqual([]);
      const body = (await res.json()) as { mfaToken: string };
      expect(body).toEqual({ error: 'mfa_required', mfa_required: true, mfaToken: expect.any(String), mfaMethods: ['totp'] });

      const session = await sessionOf(await verify({ mfaToken: body.mfaToken, code: code(user.secret) }));
      expect(session.user).toEqual({ id: user.user.id, email: user.email, name: expect.any(String) });
      expect(session.cookie).toMatch(/^tk_refresh=/);
      expect((await refresh(servers.a, session.cookie)).status).toBe(200);
      expect((await call(servers.a, 'GET', '/api/me', { token: session.token })).status).toBe(200);
    });

    it.each([
      ['the step before', -30_000, 200],
      ['the step after', 30_000, 200],
      ['two steps before', -60_000, 401],
      ['two steps after', 60_000, 401],
    ])('accepts a code of %s only within ±1 step', async (_name, offset, status) => {
      const user = await enrolledUser();
      const mfaToken = await challenge(user);
      expect((await verify({ mfaToken, code: codeAt(user.secret, clock.now + offset) })).status).toBe(status);
    });
  });

  describe('refused challenges and codes', () => {
    it('a wrong code is 401 invalid_code with the tries left, on either instance; the fifth locks the account, whatever the challenge', async () => {
      const user = await enrolledUser();
      const mfaToken = await challenge(user);
      for (const [attemptsLeft, on] of [[4, servers.a], [3, servers.b], [2, servers.a], [1, servers.b], [0, servers.a]] as const) {
        const res = await verify({ mfaToken, code: otherThan(code(user.secret)) }, on);
        expect(res.status).toBe(401);
        expect(res.headers.getSetCookie()).toEqual([]);
        expect(await res.json()).toEqual({ error: 'invalid_code', attemptsLeft });
      }
      const late = await verify({ mfaToken, code: code(user.secret) });
      expect(late.status).toBe(429);
      expect(await late.json()).toEqual({ error: 'too_many_attempts' });
      // A new login is a new challenge, not new tries (example-server-code-guessing.test.ts has the rest).
      expect((await verify({ mfaToken: await challenge(user), code: code(user.secret) })).status).toBe(429);
    });

    it('a code that signed in once is refused in its window on every instance, even on a new challenge', async () => {
      const user = await enrolledUser();
      const used = code(user.secret);
      expect((await verify({ mfaToken: await challenge(user), code: used }, servers.a)).status).toBe(200);
      const replay = await verify({ mfaToken: await challenge(user), code: used }, servers.b);
      expect(replay.status).toBe(401);
      expect(await replay.json()).toEqual({ error: 'invalid_code', attemptsLeft: 4, reason: 'replayed' });
      clock.now += 30_000;
      expect((await verify({ mfaToken: await challenge(user), code: code(user.secret) })).status).toBe(200);
    });

    it('a challenge signs in once: with the next code it is invalid_mfa_token', async () => {
      const user = await enrolledUser();
      const mfaToken = await challenge(user);
      expect((await verify({ mfaToken, code: code(user.secret) }, servers.a)).status).toBe(200);
      clock.now += 30_000;
      const again = await verify({ mfaToken, code: code(user.secret) }, servers.b);
      expect(again.status).toBe(401);
      expect(await again.json()).toEqual({ error: 'invalid_mfa_token' });
    });

    it('six verifies racing with one challenge and one code, across instances, make one session', async () => {
      const user = await enrolledUser();
      const mfaToken = await challenge(user);
      const current = code(user.secret);
      const answers = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => verify({ mfaToken, code: current }, i % 2 ? servers.a : servers.b)));
      const [first, ...losers] = answers.map((res) => res.status).sort();
      expect(first).toBe(200);
      // Spent (401), or 429 when more tries were in flight at once than the account's 5.
      for (const status of losers) expect([401, 429]).toContain(status);
      expect(answers.filter((res) => cookieOf(res) !== '')).toHaveLength(1);
    });

    it('a challenge expires after 5 minutes', async () => {
      const user = await enrolledUser();
      const mfaToken = await challenge(user);
      clock.now += 300_000;
      const res = await verify({ mfaToken, code: code(user.secret) });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'invalid_mfa_token' });
    });

    it('a tampered, forged, unsigned, foreign or other-purpose token is invalid_mfa_token, and no access token', async () => {
      const user = await enrolledUser();
      const other = await enrolledUser();
      const mfaToken = await challenge(user);
      const [header, , signature] = mfaToken.split('.') as [string, string, string];
      const claims = decodeJwt(mfaToken);
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const iat = Math.floor(clock.now / 1000);
      const forged = [
        `${header}.${encode({ ...claims, sub: other.user.id })}.${signature}`,
        `${header}.${encode({ ...claims, exp: iat + 3600 })}.${signature}`,
        `${encode({ alg: 'none', typ: 'mfa+jwt' })}.${encode(claims)}.`,
        // Signed with the access tokens' key (the configured secret), not the challenges'.
        await new SignJWT({ purpose: 'mfa' }).setProtectedHeader({ alg: 'HS256', typ: 'mfa+jwt' }).setSubject(user.user.id)
          .setJti(randomUUID()).setIssuedAt(iat).setExpirationTime(iat + 300).sign(new TextEncoder().encode('shared-secret-of-both-instances')),
        user.token, // an access token is not a challenge
        'not-a-token',
        '',
      ];
      for (const token of forged) {
        const res = await verify({ mfaToken: token, code: code(user.secret) });
        expect(res.status, token).toBe(401);
        expect(await res.json()).toEqual({ error: 'invalid_mfa_token' });
      }
      // A challenge from a server with another key.
      const stranger = await startServer({ port: 0, now: () => clock.now });
      try {
        const demoEnroll = await sessionOf(await login(stranger, DEMO_USER.email, DEMO_USER.password));
        const { secret } = (await (await call(stranger, 'POST', '/auth/mfa/enroll', { token: demoEnroll.token })).json()) as { secret: string };
        await call(stranger, 'POST', '/auth/mfa/confirm', { token: demoEnroll.token, body: { code: codeAt(secret, clock.now) } });
        const foreign = ((await (await login(stranger, DEMO_USER.email, DEMO_USER.password)).json()) as { mfaToken: string }).mfaToken;
        expect(await (await verify({ mfaToken: foreign, code: code(user.secret) })).json()).toEqual({ error: 'invalid_mfa_token' });
      } finally {
        await stranger.close();
      }
      // And a challenge is not an access token.
      for (const path of ['/api/me', '/auth/sessions', '/auth/mfa']) expect((await call(servers.a, 'GET', path, { token: mfaToken })).status).toBe(401);
      expect((await verify({ mfaToken, code: code(user.secret) })).status).toBe(200);
    });

    it("another user's challenge with my code is a wrong code, and signs in nobody", async () => {
      const bob = await enrolledUser();
      const dave = await enrolledUser();
      const res = await verify({ mfaToken: await challenge(bob), code: code(dave.secret) });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'invalid_code' });
      expect(res.headers.getSetCookie()).toEqual([]);
    });

    it('malformed bodies and codes are 4xx JSON, never a 500 or a session', async () => {
      const user = await enrolledUser();
      const other = await enrolledUser(); // the bad codes below take turns: each account has 5 tries
      const mfaToken = await challenge(user);
      const current = code(user.secret);
      for (const body of [undefined, 'not json', '[]', '"text"', '42', 'null', {}, { mfaToken }, { code: current }, { mfaToken, code: Number(current) }, { mfaToken: ['x'], code: current }]) {
        const res = await verify(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(await res.json()).toMatchObject({ error: 'invalid_request' });
      }
      // The Content-Type fetch gives a string body of its own accord, as a cross-site form's text/plain.
      const plain = await call(servers.b, 'POST', '/auth/mfa/verify', { body: { mfaToken, code: current }, headers: { 'Content-Type': 'text/plain;charset=UTF-8' } });
      expect(plain.status).toBe(400); // not JSON by Content-Type: a cross-site form cannot post here
      for (const [i, bad] of ['', '12345', '1234567', 'abcdef', `${current}\n1`, '１２３４５６', `-${current.slice(1)}`, 'x'.repeat(5000)].entries()) {
        const res = await verify({ mfaToken: await challenge(i % 2 ? other : user), code: bad });
        expect(res.status, bad).toBe(401);
        expect(await res.json()).toMatchObject({ error: 'invalid_code' });
      }
      expect((await verify({ mfaToken, code: `${current.slice(0, 3)} ${current.slice(3)}` })).status).toBe(200); // as apps show it
    });

    it('any JSON body, or any mfaToken and code strings, get a 4xx and no cookie', async () => {
      const answer = async (body: unknown) => {
        const res = await verify(body);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.headers.getSetCookie()).toEqual([]);
      };
      await fc.assert(fc.asyncProperty(fc.jsonValue(), answer), { numRuns: 40 });
      await fc.assert(fc.asyncProperty(fc.record({ mfaToken: fc.string(), code: fc.string() }), answer), { numRuns: 40 });
    });
  });

  describe('enrol, confirm, disable', () => {
    it('enrol answers a secret and its otpauth URL; only confirm turns login into a challenge', async () => {
      const user = await newUser();
      const enrolled = await call(servers.a, 'POST', '/auth/mfa/enroll', { token: user.token });
      expect(enrolled.status).toBe(200);
      expect(enrolled.headers.get('cache-control')).toBe('no-store');
      const { secret, otpauthUrl } = (await enrolled.json()) as { secret: string; otpauthUrl: string };
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      const url = new URL(otpauthUrl);
      expect([url.protocol, url.host, decodeURIComponent(url.pathname)]).toEqual(['otpauth:', 'totp', `/tokenkeeper example:${user.email}`]);
      expect(Object.fromEntries(url.searchParams)).toEqual({ secret, issuer: 'tokenkeeper example', algorithm: 'SHA1', digits: '6', period: '30' });
      expect(await (await call(servers.b, 'GET', '/auth/mfa', { token: user.token })).json()).toEqual({ enabled: false, pending: true });
      expect((await login(servers.a, user.email, user.password)).status).toBe(200);

      expect((await call(servers.b, 'POST', '/auth/mfa/confirm', { token: user.token, body: { code: code(secret) } })).status).toBe(204);
      expect(await (await call(servers.a, 'GET', '/auth/mfa', { token: user.token })).json()).toEqual({ enabled: true, pending: false });
      expect((await login(servers.a, user.email, user.password)).status).toBe(401);
      expect(await (await call(servers.a, 'POST', '/auth/mfa/enroll', { token: user.token })).json()).toEqual({ error: 'mfa_already_enabled' });
    });

    it('disable needs a current, unspent code; then login is one step again', async () => {
      const user = await enrolledUser();
      const session = await sessionOf(await verify({ mfaToken: await challenge(user), code: code(user.secret) }));
      const disable = (codeValue: string) => call(servers.a, 'POST', '/auth/mfa/disable', { token: session.token, body: { code: codeValue } });
      const wrong = await disable(otherThan(code(user.secret)));
      expect(wrong.status).toBe(422);
      expect(await wrong.json()).toEqual({ error: 'invalid_code', attemptsLeft: 4 });
      expect(await (await disable(code(user.secret))).json()).toEqual({ error: 'invalid_code', attemptsLeft: 3, reason: 'replayed' });
      clock.now += 30_000;
      expect((await disable(code(user.secret))).status).toBe(204);
      expect((await login(servers.b, user.email, user.password)).status).toBe(200);
      expect(await (await disable(code(user.secret))).json()).toEqual({ error: 'mfa_not_enabled' });
    });

    it('five wrong codes lock confirm for the account (429), even with the right code', async () => {
      const user = await newUser();
      const { secret } = (await (await call(servers.a, 'POST', '/auth/mfa/enroll', { token: user.token })).json()) as { secret: string };
      const confirm = (codeValue: string, on = servers.a) => call(on, 'POST', '/auth/mfa/confirm', { token: user.token, body: { code: codeValue } });
      for (const on of [servers.a, servers.b, servers.a, servers.b, servers.a]) expect((await confirm(otherThan(code(secret)), on)).status).toBe(422);
      const locked = await confirm(code(secret), servers.b);
      expect(locked.status).toBe(429);
      expect(await locked.json()).toEqual({ error: 'too_many_attempts' });
      expect(await (await call(servers.a, 'GET', '/auth/mfa', { token: user.token })).json()).toEqual({ enabled: false, pending: true });
    });

    it('refuses the wrong state, a bad body, and a missing or signed-out access token', async () => {
      const user = await newUser();
      const post = (path: string, body?: unknown, token: string | null = user.token) => call(servers.a, 'POST', path, { token: token ?? undefined, body });
      expect(await (await post('/auth/mfa/confirm', { code: '123456' })).json()).toEqual({ error: 'mfa_not_pending' });
      expect(await (await post('/auth/mfa/disable', { code: '123456' })).json()).toEqual({ error: 'mfa_not_enabled' });
      await post('/auth/mfa/enroll');
      for (const body of [undefined, { code: 123456 }, 'nope', '[1]']) expect((await post('/auth/mfa/confirm', body)).status).toBe(400);
      for (const path of ['/auth/mfa/enroll', '/auth/mfa/confirm', '/auth/mfa/disable']) {
        const res = await post(path, { code: '123456' }, null);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      }
      // Signed out (here: logout), the device's access token is still valid for the API, but has no say over the account.
      await call(servers.b, 'POST', '/auth/logout', { cookie: user.cookie });
      expect((await call(servers.a, 'GET', '/api/me', { token: user.token })).status).toBe(200);
      expect((await post('/auth/mfa/enroll')).status).toBe(401);
      expect((await call(servers.a, 'GET', '/auth/mfa', { token: user.token })).status).toBe(401);
    });
  });
}

describe('demo mode', () => {
  it("logs the demo user's current code when it is needed, and that code signs in", async () => {
    let clock = START;
    const lines: string[] = [];
    const server = await startServer({ port: 0, now: () => clock, log: (line) => lines.push(line), logDemoTotp: true });
    try {
      const demo = await sessionOf(await login(server, DEMO_USER.email, DEMO_USER.password));
      await call(server, 'POST', '/auth/mfa/enroll', { token: demo.token });
      const logged = () => /demo: demo@example\.com's 2FA code is (\d{6}) \(the next one in (\d+) s/.exec(lines.at(-2) ?? '')!;
      expect(logged()[2]).toBe('30');
      expect((await call(server, 'POST', '/auth/mfa/confirm', { token: demo.token, body: { code: logged()[1] } })).status).toBe(204);
      clock += 30_000;
      const mfaToken = ((await (await login(server, DEMO_USER.email, DEMO_USER.password)).json()) as { mfaToken: string }).mfaToken;
      expect(lines.at(-1)).toBe('auth: POST /auth/login 401 mfa_required');
      expect((await call(server, 'POST', '/auth/mfa/verify', { body: { mfaToken, code: logged()[1] } })).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('logs no code for anyone else, nor without logDemoTotp', async () => {
    const lines: string[] = [];
    const server = await startServer({ port: 0, log: (line) => lines.push(line), users: [DEMO_USER, { email: 'ann@example.com', password: 'ann-password' }] });
    try {
      for (const user of [DEMO_USER, { email: 'ann@example.com', password: 'ann-password' }]) {
        const session = await sessionOf(await login(server, user.email, user.password));
        await call(server, 'POST', '/auth/mfa/enroll', { token: session.token });
      }
      expect(lines.filter((line) => line.startsWith('demo:'))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('main.mjs prints the code by default, so a person can enable 2FA without a phone', async () => {
    const server = await startServerProcess({ SPA_ORIGINS: 'http://localhost:5173' });
    try {
      const demo = await sessionOf(await login(server, DEMO_USER.email, DEMO_USER.password));
      await call(server, 'POST', '/auth/mfa/enroll', { token: demo.token });
      const codeLine = await vi.waitFor(() => /2FA code is (\d{6})/.exec(server.output())![1]!, { timeout: HANG_MS });
      expect((await call(server, 'POST', '/auth/mfa/confirm', { token: demo.token, body: { code: codeLine } })).status).toBe(204);
    } finally {
      await server.stop();
    }
  });
});
