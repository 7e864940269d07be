import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, setupWorld, USER } from './support/world';

// Rule 5: a refresh that fails for network, timeout or server reasons is not a logout.
const world = setupWorld();
const refreshUrl = `${API}/auth/refresh-token`;

const failures = [
  ['network', () => HttpResponse.error()],
  ['server', () => new HttpResponse('upstream down', { status: 503 })],
  ['server', () => new HttpResponse('oops', { status: 500 })],
  [
    'timeout',
    async () => {
      await delay(1_000);
      return HttpResponse.json({});
    },
  ],
] as const;

describe('authFetch when the refresh fails without a verdict', () => {
  it.each(failures)('rejects with AuthError %s, keeps the session and reports it', async (code, resolver) => {
    // A short timeout only where the test needs one: on a loaded machine 100 ms can pass before msw answers at all.
    const auth = world.client({ timeout: code === 'timeout' ? 300 : 10_000 });
    await auth.login(USER);
    const logouts: string[] = [];
    const errors: string[] = [];
    auth.onLogout(({ reason }) => logouts.push(reason));
    auth.on('error', ({ error }) => errors.push(error.code));
    world.server.use(http.post(refreshUrl, resolver));
    world.serverClock.skew = 400_000;

    const results = await Promise.allSettled([auth.authFetch(world.echoUrl), auth.authFetch(world.echoUrl)]);

    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({ name: 'AuthError', code });
    }
    expect(errors).toEqual([code]); // one shared refresh, one report
    expect(logouts).toEqual([]);
    expect(auth.getState().status).toBe('authenticated');

    // The session survives: once the auth server is back, the next call refreshes and succeeds.
    world.server.resetHandlers();
    const response = await auth.authFetch(world.echoUrl);
    expect(response.status).toBe(200);
  });

  it('restore() rejects on a 503 and leaves the state unknown', async () => {
    const auth = world.client();
    world.server.use(http.post(refreshUrl, () => new HttpResponse(null, { status: 503 })));
    await expect(auth.restore()).rejects.toMatchObject({ code: 'server', status: 503 });
    expect(auth.getState().status).toBe('unknown');
  });
});
