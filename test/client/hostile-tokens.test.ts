import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API, setupWorld, USER } from '../support/world';

// Token lifetimes from a hostile server: garbage JWTs, impossible exp, absurd expiresIn.
const world = setupWorld();
afterEach(() => void vi.useRealTimers());

const b64 = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const jwt = (claims: unknown) => `${b64({ alg: 'HS256' })}.${b64(claims)}.c2ln`;
const nowS = () => Math.floor(Date.now() / 1000);

async function loginWith(body: Record<string, unknown>) {
  world.server.use(http.post(`${API}/auth/login`, () => HttpResponse.json(body)));
  const auth = world.client();
  const session = await auth.login(USER);
  return { auth, session };
}

describe('token lifetimes', () => {
  it.each([
    ['a payload that is not base64', 'abc.%%%.def'],
    ['a payload that is not JSON', `${b64({})}.bm90IGpzb24.sig`],
    ['a payload that is a number', `${b64({})}.${b64(42)}.sig`],
    ['two segments', 'abc.def'],
  ])('a JWT with %s is used as an opaque token', async (_, accessToken) => {
    const { auth, session } = await loginWith({ accessToken });
    expect(session).toEqual({ user: null, expiresAt: null });
    expect(await auth.getAccessToken()).toBe(accessToken);
  });

  it.each([
    ['negative', -60],
    ['zero', 0],
    ['NaN-like', 'soon'],
    ['infinite once in ms', 1e306],
  ])('a %s expiresIn falls back to the JWT lifetime', async (_, expiresIn) => {
    const before = Date.now();
    const { session } = await loginWith({ accessToken: jwt({ sub: 'u1', iat: nowS(), exp: nowS() + 120 }), expiresIn });
    expect(session.expiresAt).toBeGreaterThanOrEqual(before + 119_000);
    expect(session.expiresAt).toBeLessThanOrEqual(Date.now() + 121_000);
  });

  it('an exp already past (no iat) is not trusted: the token is used until it earns a 401', async () => {
    const { auth, session } = await loginWith({ accessToken: jwt({ sub: 'u1', exp: nowS() - 3600 }) });
    expect(session.expiresAt).toBeNull();
    await auth.getAccessToken();
    expect(world.auth.stats.refreshes).toBe(0); // no refresh loop
  });

  it('an exp before iat is ignored', async () => {
    const { session } = await loginWith({ accessToken: jwt({ sub: 'u1', iat: nowS(), exp: nowS() - 10 }) });
    expect(session.expiresAt).toBeNull();
  });

  it('a far-future lifetime neither fires the timer at once nor overflows', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const { auth, session } = await loginWith({ accessToken: 'far-future', expiresIn: 10 * 365 * 86_400 });
    expect(session.expiresAt).toBeGreaterThan(Date.now() + 9 * 365 * 86_400_000);
    const refreshes: unknown[] = [];
    auth.on('refresh', (e) => refreshes.push(e));
    await vi.advanceTimersByTimeAsync(30 * 86_400_000); // past setTimeout's 24.8-day ceiling
    expect(refreshes).toEqual([]);
    expect(await auth.getAccessToken()).toBe('far-future');
  });

  it('an absurd expiresIn (1e12 s) keeps the token usable and schedules nothing at once', async () => {
    const { auth } = await loginWith({ accessToken: 'huge', expiresIn: 1e12 });
    expect(auth.getState().expiresAt).toBeGreaterThan(Date.now());
    expect(await auth.getAccessToken()).toBe('huge');
  });
});
