import { http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { HANG_MS, outcomeWithin } from '../support/outcome';
import { API, setupWorld, USER } from '../support/world';

// Rule 6: a caller's AbortSignal ends its own wait at once, not the refresh the others share.
const world = setupWorld();

describe('authFetch with an AbortSignal', () => {
  it('rejects the aborted caller at once while the shared refresh goes on', async () => {
    const log: string[] = [];
    const auth = world.client({ debug: ({ message }) => log.push(message) });
    await auth.login(USER);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    world.server.use(
      http.post(`${API}/auth/refresh-token`, async () => {
        await held; // then fall through to the mock auth server
      }),
    );
    world.serverClock.skew = 400_000;

    const controller = new AbortController();
    const peers = Array.from({ length: 3 }, () => auth.authFetch(world.echoUrl));
    const mine = auth.authFetch(world.echoUrl, { signal: controller.signal });
    // Everyone got its 401 and waits on the one refresh, which the server holds.
    await vi.waitFor(() => expect(log.filter((message) => message === '401: refreshing')).toHaveLength(4), { timeout: HANG_MS });
    controller.abort();

    // The refresh is held until after this: only the abort can end this wait.
    const outcome = await outcomeWithin(mine);
    expect(outcome).toEqual({ error: expect.any(DOMException) });
    expect((outcome as { error: DOMException }).error.name).toBe('AbortError');

    release();
    const responses = await Promise.all(peers);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(world.auth.stats.refreshes).toBe(1);
  });

  it('an already-aborted signal rejects without a request', async () => {
    const auth = world.client();
    await auth.login(USER);
    const controller = new AbortController();
    controller.abort();
    await expect(auth.authFetch(world.echoUrl, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(world.seen).toHaveLength(0);
  });
});
