import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthState } from 'tokenkeeper';
import { API, setupWorld, USER } from '../support/world';

// The state machine and what it exposes: unknown → authenticated | anonymous, never the token.
const world = setupWorld();
afterEach(() => void vi.useRealTimers());

const fakeJwt = (claims: Record<string, unknown>) =>
  `${btoa(JSON.stringify({ alg: 'none' }))}.${btoa(JSON.stringify(claims)).replace(/=+$/, '')}.sig`;

describe('state', () => {
  it('starts unknown and getState returns the same object until something changes', async () => {
    const auth = world.client();
    const first = auth.getState();
    expect(first).toEqual({ status: 'unknown', user: null, expiresAt: null });
    expect(auth.getState()).toBe(first);
    await auth.login(USER);
    const second = auth.getState();
    expect(second).not.toBe(first);
    await auth.authFetch(world.echoUrl);
    expect(auth.getState()).toBe(second);
  });

  it('subscribe fires once per real change and stops after unsubscribe', async () => {
    const auth = world.client();
    const states: AuthState[] = [];
    const off = auth.subscribe((state) => states.push(state));
    await auth.restore(); // unknown → anonymous
    await auth.login(USER); // → authenticated
    await auth.authFetch(world.echoUrl); // no change
    await auth.refresh(); // new expiresAt
    await auth.logout(); // → anonymous
    await auth.logout(); // no change
    expect(states.map((s) => s.status)).toEqual(['anonymous', 'authenticated', 'authenticated', 'anonymous']);
    off();
    await auth.login(USER);
    expect(states).toHaveLength(4);
  });

  it('keeps the login response’s user across refreshes instead of swapping in raw claims', async () => {
    const auth = world.client();
    const { user } = await auth.login(USER);
    expect(user).toMatchObject({ email: USER.email, name: 'Alice' });
    expect(user).not.toHaveProperty('password');
    await auth.refresh();
    expect(auth.getState().user).toEqual(user);
  });

  it('never exposes the token in state, session, events or errors', async () => {
    const auth = world.client();
    const seen: unknown[] = [];
    auth.subscribe((s) => seen.push(s));
    for (const event of ['login', 'logout', 'refresh', 'error'] as const) auth.on(event, (p) => seen.push(p));
    seen.push(await auth.login(USER));
    const token = (await auth.getAccessToken())!;
    seen.push(await auth.refresh());
    const refreshed = (await auth.getAccessToken())!;
    world.server.use(http.post(`${API}/auth/refresh-token`, () => new HttpResponse(null, { status: 500 })));
    seen.push(await auth.refresh().catch((e: Error) => ({ message: e.message, cause: String(e.cause) })));
    await auth.logout();
    const dump = JSON.stringify(seen);
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(refreshed);
    expect(dump).not.toContain(token.split('.')[2]);
  });
});

describe('expiry', () => {
  it('prefers expiresIn, measured on the local clock at receipt', async () => {
    // exp/iat say one hour, the server says 60 s: the server's figure wins.
    const token = fakeJwt({ sub: 'u1', iat: 1000, exp: 4600 });
    world.server.use(http.post(`${API}/auth/login`, () => HttpResponse.json({ accessToken: token, expiresIn: 60 })));
    const before = Date.now();
    const { expiresAt } = await world.client().login(USER);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('falls back to exp - iat, whatever the device clock says', async () => {
    // Issued "in 1970" by the device's reckoning: a skewed clock must not make it look expired.
    const token = fakeJwt({ sub: 'u1', email: 'x@example.com', iat: 1000, exp: 1600 });
    world.server.use(http.post(`${API}/auth/login`, () => HttpResponse.json({ accessToken: token })));
    const before = Date.now();
    const session = await world.client().login(USER);
    expect(session.expiresAt).toBeGreaterThanOrEqual(before + 600_000);
    expect(session.user).toMatchObject({ sub: 'u1', email: 'x@example.com' });
  });

  it('uses an opaque token without a lifetime until it earns a 401', async () => {
    world.server.use(http.post(`${API}/auth/login`, () => HttpResponse.json({ accessToken: 'opaque' })));
    const auth = world.client();
    const session = await auth.login(USER);
    expect(session).toEqual({ user: null, expiresAt: null });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 10 * 365 * 86_400_000);
    expect(await auth.getAccessToken()).toBe('opaque');
    expect(world.auth.stats.refreshes).toBe(0);
  });
});
