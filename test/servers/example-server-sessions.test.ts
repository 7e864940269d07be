// @vitest-environment node
// The example server's signed-in devices (GET /auth/sessions, DELETE /auth/sessions/:id), on one
// instance (memory store) and on two sharing a Redis store, every other call on the other one.
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { START, useServers, type Servers } from './example-fixture';
import { call, cookieOf, login, refresh, sessionOf, type Session } from './http.mjs';
import { describeWithRedis } from '../support/redis';

interface Listed {
  id: string;
  current: boolean;
  createdAt: number;
  lastUsedAt: number;
  userAgent?: string;
}

describe('one instance, memory store', () => {
  sessionsContract(useServers(undefined, { refreshTokenTtl: 3600, accessTokenTtl: 7200 }));
});

describeWithRedis('two instances, one Redis store', (redis) => {
  sessionsContract(useServers(redis, { refreshTokenTtl: 3600, accessTokenTtl: 7200 }));
});

function sessionsContract(servers: Servers) {
  const { clock } = servers;

  /** A new user (the session its registration started, logged out), and a sign-in for it. */
  async function newUser() {
    const email = `u-${randomUUID()}@example.com`;
    const password = 'long-enough';
    const registered = await call(servers.a, 'POST', '/auth/register', { body: { email, password } });
    expect(registered.status).toBe(201);
    await call(servers.b, 'POST', '/auth/logout', { cookie: cookieOf(registered) });
    return { signIn: (userAgent?: string) => login(servers.b, email, password, userAgent).then(sessionOf) };
  }

  async function list(session: { token: string; cookie?: string }, on = servers.a): Promise<Listed[]> {
    const res = await call(on, 'GET', '/auth/sessions', session);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    return ((await res.json()) as { sessions: Listed[] }).sessions;
  }
  const revoke = (session: { token: string; cookie?: string }, id: string, on = servers.b) =>
    call(on, 'DELETE', `/auth/sessions/${encodeURIComponent(id)}`, session);
  const others = async (session: Session) => (await list(session)).filter((listed) => !listed.current);

  describe('GET /auth/sessions', () => {
    it('lists one session per login with its times and user agent, marking the cookie’s as current', async () => {
      const user = await newUser();
      const laptop = await user.signIn('Firefox on Linux');
      clock.now += 60_000;
      const phone = await user.signIn('Safari on iPhone');
      clock.now += 60_000;
      await refresh(servers.a, laptop.cookie);

      expect(await list(phone)).toEqual([
        { id: expect.any(String), current: false, createdAt: START, lastUsedAt: START + 120_000, userAgent: 'Firefox on Linux' },
        { id: expect.any(String), current: true, createdAt: START + 60_000, lastUsedAt: START + 60_000, userAgent: 'Safari on iPhone' },
      ]);
      expect((await list(laptop, servers.b)).map((listed) => listed.current)).toEqual([true, false]);
      // The access token names its session (sid), so an API can tell sessions apart too.
      expect((await list(phone)).find((listed) => listed.current)?.id).toBe(decodeJwt(phone.token)['sid']);
    });

    it('without the cookie, or with another user’s, marks the session the access token was issued to', async () => {
      const user = await newUser();
      const first = await user.signIn();
      await user.signIn();
      const stranger = await (await newUser()).signIn();
      for (const presented of [{ token: first.token }, { token: first.token, cookie: stranger.cookie }]) {
        const current = (await list(presented)).filter((listed) => listed.current);
        expect(current.map((listed) => listed.id)).toEqual([decodeJwt(first.token)['sid']]);
      }
    });

    it('leaves out sessions logged out, revoked or expired', async () => {
      const user = await newUser();
      const expiring = await user.signIn();
      const loggedOut = await user.signIn();
      await call(servers.a, 'POST', '/auth/logout', { cookie: loggedOut.cookie });
      clock.now += 1_800_000;
      const later = await user.signIn();
      clock.now += 1_800_000; // the first refresh token (1 h) has expired, the last has not
      expect(await list(later)).toEqual([expect.objectContaining({ current: true, createdAt: START + 1_800_000 })]);
      expect((await refresh(servers.b, expiring.cookie)).status).toBe(401);
    });

    it('answers 401 without a valid access token', async () => {
      const res = await call(servers.a, 'GET', '/auth/sessions');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect((await call(servers.a, 'GET', '/auth/sessions', { token: 'not.a.jwt' })).status).toBe(401);
    });
  });

  describe('DELETE /auth/sessions/:id', () => {
    it('signs that device out at its next refresh and leaves the others alone', async () => {
      const user = await newUser();
      const here = await user.signIn();
      const there = await user.signIn();
      const third = await user.signIn();
      const target = (await others(here)).find((listed) => listed.id === decodeJwt(there.token)['sid'])!;

      const res = await revoke(here, target.id);
      expect(res.status).toBe(204);
      expect(res.headers.getSetCookie()).toEqual([]); // this device keeps its cookie
      expect((await refresh(servers.a, there.cookie)).status).toBe(401);
      expect((await refresh(servers.b, here.cookie)).status).toBe(200);
      expect((await refresh(servers.a, third.cookie)).status).toBe(200);
      expect((await list(here)).map((listed) => listed.id)).not.toContain(target.id);
    });

    it("refuses someone else's session with 404 and changes nothing", async () => {
      const mine = await (await newUser()).signIn();
      const theirs = await (await newUser()).signIn();
      const [theirSession] = await list(theirs);

      const res = await revoke(mine, theirSession!.id);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'session_not_found' });
      expect((await refresh(servers.a, theirs.cookie)).status).toBe(200);
      expect(await list(theirs)).toHaveLength(1);
    });

    it('answers 404 for an unknown, malformed or already revoked id, never a 500', async () => {
      const user = await newUser();
      const here = await user.signIn();
      const there = await user.signIn();
      const [other] = await others(here);
      expect((await revoke(here, other!.id)).status).toBe(204);
      for (const bad of [other!.id, 'unknown', '*', 'x'.repeat(500), '\u0000', 'ü']) {
        const res = await revoke(here, bad);
        expect(res.status, bad).toBe(404);
        expect(await res.json()).toEqual({ error: 'session_not_found' });
      }
      for (const raw of ['%E0%A4%A', 'a/b', '', '..']) {
        const res = await call(servers.a, 'DELETE', `/auth/sessions/${raw}`, { token: here.token });
        expect(res.status, raw).toBe(404);
      }
      expect((await refresh(servers.a, there.cookie)).status).toBe(401);
      expect((await refresh(servers.b, here.cookie)).status).toBe(200);
    });

    it('revoking the current session also clears its cookie', async () => {
      const here = await (await newUser()).signIn();
      const [current] = await list(here);
      const res = await revoke(here, current!.id);
      expect(res.status).toBe(204);
      expect(cookieOf(res)).toBe('tk_refresh=');
      expect(res.headers.getSetCookie()[0]).toContain('Max-Age=0');
      expect((await refresh(servers.a, here.cookie)).status).toBe(401);
    });

    it('needs a valid access token of a live session', async () => {
      const user = await newUser();
      const here = await user.signIn();
      const there = await user.signIn();
      const thereId = String(decodeJwt(there.token)['sid']);
      expect((await call(servers.a, 'DELETE', `/auth/sessions/${thereId}`)).status).toBe(401);
      // Signed out by the other device, this one's leftover access token cannot sign anyone out.
      expect((await revoke(there, String(decodeJwt(here.token)['sid']))).status).toBe(204);
      expect((await revoke({ token: here.token }, thereId)).status).toBe(401);
      expect((await call(servers.a, 'GET', '/auth/sessions', { token: here.token })).status).toBe(401);
      expect((await refresh(servers.b, there.cookie)).status).toBe(200);
    });
  });

  it('logout { everywhere: true } ends every session of the user', async () => {
    const user = await newUser();
    const first = await user.signIn();
    const second = await user.signIn();
    await call(servers.a, 'POST', '/auth/logout', { cookie: first.cookie, body: { everywhere: true } });
    expect((await refresh(servers.b, second.cookie)).status).toBe(401);
    expect(await list(await user.signIn())).toEqual([expect.objectContaining({ current: true })]);
  });
}
