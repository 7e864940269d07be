import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API, setupWorld, USER } from '../support/world';

// Rule 5: a refresh that fails for network, timeout or server reasons is not a logout.
const world = setupWorld();
afterEach(() => void vi.useRealTimers());
const refreshUrl = `${API}/auth/refresh-token`;

const failures = [
  ['network', () => HttpResponse.error()],
  ['server', () => new HttpResponse('upstream down', { status: 503 })],
  ['server', () => new HttpResponse('oops', { status: 500 })],
  ['timeout', () => new Promise<never>(() => {})], // no answer: only the client's timeout ends the wait
] as const;

describe('authFetch when the refresh fails without a verdict', () => {
  it.each(failures)('rejects with AuthError %s, keeps the session and reports it', async (code, resolver) => {
    // The timeout case runs on fake timers: the client's timeout fires when the test moves the clock,
    // so the login and the recovery below are never cut short on a loaded machine.
    if (code === 'timeout') vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const auth = world.client(); // the default timeout (10 s) for the calls that must get through
    await auth.login(USER);
    const logouts: string[] = [];
    const errors: string[] = [];
    auth.onLogout(({ reason }) => logouts.push(reason));
    auth.on('error', ({ error }) => errors.push(error.code));
    let reached = () => {};
    const refreshReached = new Promise<void>((resolve) => (reached = resolve));
    world.server.use(http.post(refreshUrl, () => (reached(), resolver())));
    world.serverClock.skew = 400_000;

    const settled = Promise.allSettled([auth.authFetch(world.echoUrl), auth.authFetch(world.echoUrl)]);
    if (code === 'timeout') {
      await refreshReached;
      await vi.advanceTimersByTimeAsync(10_000);
    }
    const results = await settled;

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
