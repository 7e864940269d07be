// @vitest-environment node
// tokenkeeper/sessions against the mock server: each "device" is a client with its own cookie jar
// (Node, so a request can present its own Cookie header; it wins over MSW's shared jar).
import { decodeJwt } from 'jose';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthClient, type AuthClient, type AuthClientOptions } from 'tokenkeeper';
import { createDpop } from 'tokenkeeper/dpop';
import { createAuthServer } from 'tokenkeeper/msw';
import { listSessions, revokeSession } from 'tokenkeeper/sessions';
import { API, useMockServer } from '../servers/mock-fixture';

const BOUND = 'https://dpop.example.com';
const ALICE = { email: 'alice@example.com', password: 'wonderland' };
const BOB = { email: 'bob@example.com', password: 'builder-123' };
const { auth, clock, server } = useMockServer({ accessTokenTtl: 300, refreshTokenTtl: 3600, users: [ALICE, BOB] });
// On the real clock: it checks DPoP proofs' iat against its own time.
const bound = createAuthServer({ baseUrl: BOUND, dpop: true, users: [ALICE] });

interface Seen {
  method: string;
  url: string;
  headers: Headers;
}
const seen: Seen[] = [];
server.events.on('request:start', ({ request }) => void seen.push({ method: request.method, url: request.url, headers: request.headers }));
const sessionCalls = () => seen.filter((s) => new URL(s.url).pathname.startsWith('/auth/sessions'));

const clients: AuthClient[] = [];
/** A browser of its own: its own refresh cookie and user agent. */
function device(userAgent = 'Firefox on Linux', options: Partial<AuthClientOptions> = {}) {
  let cookie = '';
  const fetchWithJar: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    request.headers.set('Cookie', `tk_refresh=${cookie}`);
    request.headers.set('User-Agent', userAgent);
    const response = await fetch(request);
    const set = /^tk_refresh=([^;]*)/.exec(response.headers.getSetCookie()[0] ?? '');
    if (set) cookie = set[1]!;
    return response;
  };
  const created = createAuthClient({ baseUrl: API, crossTab: false, fetch: fetchWithJar, ...options });
  clients.push(created);
  return created;
}

beforeEach(() => void (seen.length = 0));
afterEach(() => {
  bound.reset();
  for (const created of clients.splice(0)) created.dispose();
});

describe('listSessions', () => {
  it('lists one session per login, this browser’s marked current, with times and user agent', async () => {
    const laptop = device('Firefox on Linux');
    await laptop.login(ALICE);
    clock.now += 60_000;
    const phone = device('Safari on iPhone');
    await phone.login(ALICE);

    const sessions = await listSessions(phone);
    expect(sessions).toHaveLength(2);
    expect(sessions.find((s) => s.current)).toMatchObject({ userAgent: 'Safari on iPhone', createdAt: clock.now, lastUsedAt: clock.now });
    expect(sessions.find((s) => !s.current)).toMatchObject({ userAgent: 'Firefox on Linux', createdAt: clock.now - 60_000 });
    expect((await listSessions(laptop)).find((s) => s.current)?.userAgent).toBe('Firefox on Linux');
    expect(sessionCalls().map((s) => [s.method, s.url])).toEqual([
      ['GET', `${API}/auth/sessions`],
      ['GET', `${API}/auth/sessions`],
    ]);
  });

  it.each([
    ['not JSON', () => new HttpResponse('<html>', { status: 200 })],
    ['no sessions array', () => HttpResponse.json({ devices: [] })],
    ['a session without an id', () => HttpResponse.json({ sessions: [{ current: true, createdAt: 1, lastUsedAt: 1 }] })],
    ['a date as a string', () => HttpResponse.json({ sessions: [{ id: 'a', current: true, createdAt: '2026-01-01', lastUsedAt: 1 }] })],
    ['a numeric user agent', () => HttpResponse.json({ sessions: [{ id: 'a', current: true, createdAt: 1, lastUsedAt: 1, userAgent: 7 }] })],
    ['null', () => HttpResponse.json(null)],
  ])('an answer of the wrong shape (%s) is invalid_response', async (_name, answer) => {
    const me = device();
    await me.login(ALICE);
    server.use(http.get(`${API}/auth/sessions`, answer));
    await expect(listSessions(me)).rejects.toMatchObject({ name: 'AuthError', code: 'invalid_response' });
  });

  it('a network failure is AuthError network; a 5xx server; a 429 rate_limited with retryAfter; the session stays', async () => {
    const me = device();
    await me.login(ALICE);
    server.use(http.get(`${API}/auth/sessions`, () => HttpResponse.error(), { once: true }));
    await expect(listSessions(me)).rejects.toMatchObject({ name: 'AuthError', code: 'network' });
    server.use(http.get(`${API}/auth/sessions`, () => new HttpResponse(null, { status: 503 }), { once: true }));
    await expect(listSessions(me)).rejects.toMatchObject({ name: 'AuthError', code: 'server', status: 503 });
    server.use(http.get(`${API}/auth/sessions`, () => new HttpResponse(null, { status: 429, headers: { 'Retry-After': '7' } }), { once: true }));
    await expect(listSessions(me)).rejects.toMatchObject({ name: 'AuthError', code: 'rate_limited', status: 429, retryAfter: 7 });
    expect(me.getState().status).toBe('authenticated');
  });

  it('a token the server no longer accepts: one refresh, one replay, and the list', async () => {
    const me = device();
    await me.login(ALICE);
    const refreshes = auth.stats.refreshes;
    clock.now += 400_000; // the server's clock passes the token's expiry; the client's does not

    expect(await listSessions(me)).toHaveLength(1);
    expect(auth.stats.refreshes - refreshes).toBe(1);
    expect(sessionCalls()).toHaveLength(2);
    const [first, replay] = sessionCalls().map((s) => s.headers.get('Authorization'));
    expect(replay).not.toBe(first);
  });

  it('signed out: the 401 is AuthError unauthorized, and nothing is refreshed twice', async () => {
    const me = device();
    await expect(listSessions(me)).rejects.toMatchObject({ name: 'AuthError', code: 'unauthorized', status: 401 });
    expect(sessionCalls()).toHaveLength(1);
  });
});

describe('revokeSession', () => {
  it('signs another device out: gone from the list, it ends at its next refresh, this one stays', async () => {
    const laptop = device('Firefox on Linux');
    await laptop.login(ALICE);
    const phone = device('Safari on iPhone');
    await phone.login(ALICE);
    const reasons: string[] = [];
    laptop.onLogout(({ reason }) => reasons.push(reason));
    const other = (await listSessions(phone)).find((s) => !s.current)!;

    await revokeSession(phone, other.id);

    expect(sessionCalls().at(-1)).toMatchObject({ method: 'DELETE', url: `${API}/auth/sessions/${encodeURIComponent(other.id)}` });
    expect((await listSessions(phone)).map((s) => s.id)).not.toContain(other.id);
    expect(laptop.getState().status).toBe('authenticated'); // until its next refresh
    await expect(laptop.refresh()).rejects.toMatchObject({ code: 'unauthorized' });
    expect(reasons).toEqual(['refresh_failed']);
    expect(phone.getState().status).toBe('authenticated');
    await expect(phone.refresh()).resolves.toMatchObject({ user: expect.anything() });
  });

  it('revoking this browser’s own session is logout(): reason user, the server told once', async () => {
    const me = device();
    await me.login(ALICE);
    const current = (await listSessions(me)).find((s) => s.current)!;
    const reasons: string[] = [];
    me.onLogout(({ reason }) => reasons.push(reason));

    await revokeSession(me, current.id);

    expect(reasons).toEqual(['user']);
    expect(me.getState().status).toBe('anonymous');
    expect(auth.stats.logouts).toBe(1);
    expect(sessionCalls().filter((s) => s.method === 'DELETE')).toHaveLength(0);
  });

  it('a listed id outlives its session: after a new login, the old current id is a plain DELETE (404), not a logout', async () => {
    const me = device();
    await me.login(ALICE);
    const old = (await listSessions(me)).find((s) => s.current)!;
    await me.logout();
    await me.login(ALICE);

    await expect(revokeSession(me, old.id)).rejects.toMatchObject({ name: 'AuthError', status: 404 });
    expect(me.getState().status).toBe('authenticated');
  });

  it('an unknown id, or another user’s, is AuthError validation (404) and changes nothing', async () => {
    const bob = device('Chrome on Windows');
    await bob.login(BOB);
    const [bobs] = await listSessions(bob);
    const me = device();
    await me.login(ALICE);
    const before = await listSessions(me);

    for (const id of [bobs!.id, 'unknown', '../../auth/logout', 'a/b c']) {
      await expect(revokeSession(me, id), id).rejects.toMatchObject({ name: 'AuthError', code: 'validation', status: 404 });
    }
    expect(sessionCalls().filter((s) => s.method === 'DELETE').map((s) => new URL(s.url).pathname)).toEqual([
      `/auth/sessions/${encodeURIComponent(bobs!.id)}`,
      '/auth/sessions/unknown',
      '/auth/sessions/..%2F..%2Fauth%2Flogout',
      '/auth/sessions/a%2Fb%20c',
    ]);
    expect((await listSessions(me)).map((s) => s.id)).toEqual(before.map((s) => s.id));
    expect((await listSessions(bob)).map((s) => s.id)).toEqual([bobs!.id]);
    await expect(bob.refresh()).resolves.toBeTruthy();
    expect(me.getState().status).toBe('authenticated');
  });
});

describe('the endpoint as the client calls it', () => {
  it('endpoints.sessions (path, headers; its method is ignored), csrf and tokenHeader shape both calls', async () => {
    const me = device('Firefox on Linux', {
      endpoints: { sessions: { path: '/auth/sessions', method: 'POST', headers: { 'X-App': 'demo' } } },
      csrf: () => ({ 'X-CSRF': 'c1' }),
    });
    await me.login(ALICE);
    const [current] = await listSessions(me);
    server.use(http.delete(`${API}/auth/sessions/:id`, () => new HttpResponse(null, { status: 204 }), { once: true }));
    await revokeSession(me, 'other-device');

    const [list, revoke] = sessionCalls();
    for (const call of [list!, revoke!]) {
      expect(call.headers.get('X-App')).toBe('demo');
      expect(call.headers.get('X-CSRF')).toBe('c1');
      expect(call.headers.get('Authorization')).toMatch(/^Bearer ey/);
      expect(call.headers.get('Cookie')).toMatch(/^tk_refresh=./);
    }
    expect([list!.method, revoke!.method]).toEqual(['GET', 'DELETE']);
    expect(current!.current).toBe(true);
  });

  it('a sessions endpoint of another path, with bearer: false, goes out without the token', async () => {
    server.use(http.get(`${API}/account/devices`, () => HttpResponse.json({ sessions: [] })));
    const me = device('Firefox on Linux', { endpoints: { sessions: { path: '/account/devices', bearer: false } } });
    await me.login(ALICE);
    expect(await listSessions(me)).toEqual([]);
    expect(sessionCalls()).toHaveLength(0);
    const call = seen.find((s) => s.url === `${API}/account/devices`)!;
    expect(call.headers.get('Authorization')).toBeNull();
  });

  it('with dpop, the calls carry a proof for their method and URL and the bound token as DPoP', async () => {
    server.use(...bound.handlers);
    const me = createAuthClient({ baseUrl: BOUND, crossTab: false, dpop: createDpop() });
    clients.push(me);
    await me.login(ALICE);
    const [current] = await listSessions(me);

    const [list] = sessionCalls();
    expect(list!.headers.get('Authorization')).toMatch(/^DPoP ey/);
    expect(decodeJwt(list!.headers.get('DPoP')!)).toMatchObject({ htm: 'GET', htu: `${BOUND}/auth/sessions`, ath: expect.any(String) });
    expect(current).toMatchObject({ current: true });
  });
});
