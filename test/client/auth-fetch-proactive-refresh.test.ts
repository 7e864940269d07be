import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API, setupWorld, USER } from '../support/world';

// Rule 2: a token within refreshMargin of expiry is refreshed before the request goes out.
const world = setupWorld();
afterEach(() => void vi.useRealTimers());

describe('authFetch refreshes before expiry', () => {
  it('refreshes first when the token is inside the margin, then sends the new token', async () => {
    const auth = world.client({ refreshMargin: 30 });
    await auth.login(USER);
    const oldToken = await auth.getAccessToken();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 280_000); // 20 s left of 300: inside the 30 s margin

    const response = await auth.authFetch(world.echoUrl);
    expect(response.status).toBe(200);
    expect(world.auth.stats.refreshes).toBe(1);
    const sent = world.seen.at(-1)?.authorization;
    expect(sent).not.toBe(`Bearer ${oldToken}`);
    expect(sent).toBe(`Bearer ${await auth.getAccessToken()}`);
  });

  it('does not refresh a token outside the margin', async () => {
    const auth = world.client({ refreshMargin: 30 });
    await auth.login(USER);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 260_000); // 40 s left
    await auth.authFetch(world.echoUrl);
    expect(world.auth.stats.refreshes).toBe(0);
  });

  it('caps the margin at half the lifetime so short tokens do not refresh in a loop', async () => {
    const auth = world.client({ refreshMargin: 30 });
    world.server.use(
      http.post(`${API}/auth/login`, () => HttpResponse.json({ accessToken: 'opaque-token', expiresIn: 20 })),
    );
    const session = await auth.login(USER);
    expect(session.expiresAt).toBeGreaterThan(Date.now() + 19_000);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 9_000); // 11 s left of 20: the 30 s margin would say "due", half says not yet
    expect(await auth.getAccessToken()).toBe('opaque-token');
    expect(world.auth.stats.refreshes).toBe(0);
  });

  it('uses the still-valid token when the early refresh fails, and reports the failure', async () => {
    const auth = world.client();
    await auth.login(USER);
    const oldToken = await auth.getAccessToken();
    const errors: string[] = [];
    auth.on('error', ({ error }) => errors.push(error.code));
    world.server.use(http.post(`${API}/auth/refresh-token`, () => HttpResponse.error()));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 285_000);

    const response = await auth.authFetch(world.echoUrl);
    expect(response.status).toBe(200);
    expect(world.seen.at(-1)?.authorization).toBe(`Bearer ${oldToken}`);
    expect(errors).toEqual(['network']);
    expect(auth.getState().status).toBe('authenticated');
  });

  it('the proactive timer refreshes by itself at expiresAt - margin', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const auth = world.client({ refreshMargin: 30 });
    await auth.login(USER);
    const refreshed = new Promise((resolve) => auth.on('refresh', resolve));
    await vi.advanceTimersByTimeAsync(269_000);
    expect(world.auth.stats.refreshes).toBe(0);
    await vi.advanceTimersByTimeAsync(2_000);
    vi.useRealTimers();
    await refreshed;
    expect(world.auth.stats.refreshes).toBe(1);
  });
});
