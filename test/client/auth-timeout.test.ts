import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setupWorld, USER } from '../support/world';

// Issue 8, property 6: the timeout holds whatever fetch does.
// The timeout runs on fake timers: it fires when the test moves the clock and at no other time, so
// a real call (msw) is never cut short on a loaded machine, and "after `timeout` ms" is exact.
const world = setupWorld();
beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
afterEach(() => void vi.useRealTimers());

/**
 * A fetch that ignores `signal`: its promise for the calls `hang` picks never settles, so the only
 * way out of them is the client's own timeout. `sent` resolves once such a call went out (and the
 * client armed its timer: it does so before calling fetch).
 */
function deafFetch(hang: (url: string) => boolean) {
  let wentOut = () => {};
  const sent = new Promise<void>((resolve) => (wentOut = resolve));
  const fetchImpl: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!hang(url)) return fetch(input, init);
    wentOut();
    return new Promise<Response>(() => {});
  };
  return { fetch: fetchImpl, sent };
}

/** Settles `promise`'s outcome into a value, so a test can look at it while it is still pending. */
function track<T>(promise: Promise<T>) {
  const outcome: { settled: boolean; error?: unknown } = { settled: false };
  promise.then(
    () => (outcome.settled = true),
    (error: unknown) => Object.assign(outcome, { settled: true, error }),
  );
  return outcome;
}

/** Moves the clock to 1 ms short of `timeout`, checks `promise` still waits, then to `timeout`. */
async function timesOutAfter(timeout: number, promise: Promise<unknown>) {
  const outcome = track(promise);
  await vi.advanceTimersByTimeAsync(timeout - 1);
  expect(outcome.settled, `settled before ${timeout} ms`).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(outcome).toMatchObject({ settled: true, error: { name: 'AuthError', code: 'timeout' } });
}

describe('an injected fetch that ignores the abort signal', () => {
  it('a login still rejects with timeout after `timeout` ms', async () => {
    const deaf = deafFetch(() => true);
    const auth = world.client({ timeout: 100, fetch: deaf.fetch });
    const login = auth.login(USER);
    await deaf.sent;
    await timesOutAfter(100, login);
  });

  it('a lost refresh cannot wedge every later refresh', async () => {
    let lose = true;
    const deaf = deafFetch((url) => lose && url.endsWith('/auth/refresh-token'));
    const auth = world.client({ timeout: 100, fetch: deaf.fetch });
    await auth.login(USER);

    const lost = auth.refresh();
    await deaf.sent;
    await timesOutAfter(100, lost);
    lose = false;
    await expect(auth.refresh()).resolves.toMatchObject({ user: { email: USER.email } });
    expect(auth.getState().status).toBe('authenticated');
  });

  it('a body that never finishes still times out', async () => {
    let wentOut = () => {};
    const sent = new Promise<void>((resolve) => (wentOut = resolve));
    const stalled: typeof fetch = async () => {
      wentOut();
      return new Response(new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode('{"acc')) }), { status: 200 });
    };
    const auth = world.client({ timeout: 100, fetch: stalled });
    const restoring = auth.restore();
    await sent;
    await timesOutAfter(100, restoring);
  });
});
