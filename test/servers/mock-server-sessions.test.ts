// @vitest-environment node
// The mock's signed-in devices: GET /auth/sessions and DELETE /auth/sessions/:id. One session per
// login (refresh family); revoking one signs that device out at its next refresh, and only that one.
import { describe, expect, test } from 'vitest';
import { MOCK, START, useMockServer } from './mock-fixture';
import { call, cookieOf, login, refresh, sessionOf, type Session } from './http.mjs';

const { clock } = useMockServer({
  refreshTokenTtl: 3600,
  accessTokenTtl: 7200, // outlives the refresh tokens, so expiry tests can still list
  users: [
    { email: 'alice@example.com', password: 'wonderland' },
    { email: 'bob@example.com', password: 'builder-123' },
  ],
});

interface Listed {
  id: string;
  current: boolean;
  createdAt: number;
  lastUsedAt: number;
  userAgent?: string;
}

const alice = (userAgent?: string) => login(MOCK, 'alice@example.com', 'wonderland', userAgent).then(sessionOf);
const bob = () => login(MOCK, 'bob@example.com', 'builder-123').then(sessionOf);

async function list(session: Pick<Session, 'token'> & { cookie?: string }): Promise<Listed[]> {
  const res = await call(MOCK, 'GET', '/auth/sessions', session);
  expect(res.status).toBe(200);
  expect(res.headers.get('Cache-Control')).toBe('no-store');
  return ((await res.json()) as { sessions: Listed[] }).sessions;
}
const revoke = (session: Pick<Session, 'token'> & { cookie?: string }, id: string) =>
  call(MOCK, 'DELETE', `/auth/sessions/${encodeURIComponent(id)}`, session);

describe('GET /auth/sessions', () => {
  test('lists one session per login with its times and user agent, marking the cookie’s as current', async () => {
    const laptop = await alice('Firefox on Linux');
    clock.now += 60_000;
    const phone = await alice('Safari on iPhone');
    clock.now += 60_000;
    await refresh(MOCK, laptop.cookie);

    const sessions = await list(phone);
    expect(sessions).toEqual([
      { id: expect.any(String), current: false, createdAt: START, lastUsedAt: START + 120_000, userAgent: 'Firefox on Linux' },
      { id: expect.any(String), current: true, createdAt: START + 60_000, lastUsedAt: START + 60_000, userAgent: 'Safari on iPhone' },
    ]);
    // The other device sees the same two, itself current.
    expect((await list(laptop)).map((session) => session.current)).toEqual([true, false]);
  });

  test('without the cookie, marks the session the access token was issued to', async () => {
    const first = await alice();
    const second = await alice();
    const sessions = await list({ token: first.token });
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
    expect(sessions.find((session) => session.current)?.id).not.toBe((await list(second)).find((session) => session.current)?.id);
  });

  test('a cookie of another user does not make one of mine current', async () => {
    const mine = await alice();
    const theirs = await bob();
    expect((await list({ token: mine.token, cookie: theirs.cookie })).map((session) => session.current)).toEqual([true]);
  });

  test('leaves out sessions logged out, revoked or expired, and other users’', async () => {
    const kept = await alice();
    const loggedOut = await alice();
    await call(MOCK, 'POST', '/auth/logout', { cookie: loggedOut.cookie });
    await bob();
    clock.now += 1_800_000;
    const later = await alice();
    clock.now += 1_800_000; // `kept`'s token (1 h) has expired; `later`'s has not
    expect(await list(later)).toEqual([expect.objectContaining({ current: true, createdAt: START + 1_800_000 })]);
    expect((await refresh(MOCK, kept.cookie)).status).toBe(401);
  });

  test('answers 401 without a valid access token', async () => {
    const res = await call(MOCK, 'GET', '/auth/sessions');
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"');
    expect((await call(MOCK, 'GET', '/auth/sessions', { token: 'not.a.jwt' })).status).toBe(401);
  });
});

describe('DELETE /auth/sessions/:id', () => {
  test('signs that device out at its next refresh and leaves the others alone', async () => {
    const here = await alice();
    const other = await alice();
    const target = (await list(here)).find((session) => !session.current)!;

    const res = await revoke(here, target.id);
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie()).toEqual([]); // this device keeps its cookie

    expect((await refresh(MOCK, other.cookie)).status).toBe(401);
    expect((await refresh(MOCK, here.cookie)).status).toBe(200);
    expect((await list(here)).map((session) => session.id)).not.toContain(target.id);
  });

  test("refuses someone else's session with 404 and changes nothing", async () => {
    const mine = await alice();
    const theirs = await bob();
    const [bobsSession] = await list(theirs);

    const res = await revoke(mine, bobsSession!.id);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'session_not_found' });
    expect((await refresh(MOCK, theirs.cookie)).status).toBe(200);
    expect(await list(theirs)).toHaveLength(1);
  });

  test('answers 404 for an unknown, malformed or already revoked id', async () => {
    const here = await alice();
    const other = await alice();
    const id = (await list(here)).find((session) => !session.current)!.id;
    expect((await revoke(here, id)).status).toBe(204);
    for (const bad of [id, 'unknown', '..%2F..', '%00', 'x'.repeat(500)]) {
      const res = await revoke(here, bad);
      expect(res.status, bad).toBe(404);
    }
    expect((await refresh(MOCK, other.cookie)).status).toBe(401);
    expect((await refresh(MOCK, here.cookie)).status).toBe(200);
  });

  test('revoking the current session also clears its cookie', async () => {
    const here = await alice();
    const [current] = await list(here);
    const res = await revoke(here, current!.id);
    expect(res.status).toBe(204);
    expect(cookieOf(res)).toBe('tk_refresh=');
    expect(res.headers.getSetCookie()[0]).toContain('Max-Age=0');
    expect((await refresh(MOCK, here.cookie)).status).toBe(401);
  });

  test('needs a valid access token of a live session', async () => {
    const here = await alice();
    const other = await alice();
    const otherId = (await list(here)).find((session) => !session.current)!.id;
    expect((await call(MOCK, 'DELETE', `/auth/sessions/${otherId}`)).status).toBe(401);
    // Signed out elsewhere, a device's leftover access token cannot sign the others out.
    await revoke(other, (await list(other)).find((session) => !session.current)!.id);
    expect((await revoke({ token: here.token }, otherId)).status).toBe(401);
    expect((await call(MOCK, 'GET', '/auth/sessions', { token: here.token })).status).toBe(401);
    expect((await refresh(MOCK, other.cookie)).status).toBe(200);
  });
});

test('logout { everywhere: true } ends every session of the user', async () => {
  const first = await alice();
  const second = await alice();
  await call(MOCK, 'POST', '/auth/logout', { cookie: first.cookie, body: { everywhere: true } });
  expect((await refresh(MOCK, second.cookie)).status).toBe(401);
  const fresh = await alice();
  expect(await list(fresh)).toEqual([expect.objectContaining({ current: true })]);
});
