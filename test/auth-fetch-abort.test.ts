import { delay, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, setupWorld, USER } from './support/world';

// Rule 6: a caller's AbortSignal ends its own wait at once, not the refresh the others share.
const world = setupWorld();

describe('authFetch with an AbortSignal', () => {
  it('rejects the aborted caller within milliseconds while the shared refresh goes on', async () => {
    const auth = world.client();
    await auth.login(USER);
    world.server.use(
      http.post(`${API}/auth/refresh-token`, async () => {
        await delay(300); // then fall through to the mock auth server
      }),
    );
    world.serverClock.skew = 400_000;

    const controller = new AbortController();
    const peers = Array.from({ length: 3 }, () => auth.authFetch(world.echoUrl));
    const mine = auth.authFetch(world.echoUrl, { signal: controller.signal });
    await delay(50); // everyone is now waiting on the refresh
    const abortedAt = performance.now();
    controller.abort();

    const error = await mine.then(
      () => null,
      (reason: unknown) => reason,
    );
    const waited = performance.now() - abortedAt;
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
    expect(waited).toBeLessThan(100); // the refresh still needs ~250 ms

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
