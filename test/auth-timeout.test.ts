import { describe, expect, it } from 'vitest';
import { setupWorld, USER } from './support/world';

// Issue 8, property 6: the timeout holds whatever fetch does.
const world = setupWorld();

/** A fetch that ignores `signal`: its promise for auth calls never settles. */
function deafFetch(hang: (url: string) => boolean): typeof fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return hang(url) ? new Promise<Response>(() => {}) : fetch(input, init);
  };
}

describe('an injected fetch that ignores the abort signal', () => {
  it('a login still rejects with timeout after `timeout` ms', async () => {
    const auth = world.client({ timeout: 100, fetch: deafFetch(() => true) });
    const started = performance.now();
    await expect(auth.login(USER)).rejects.toMatchObject({ name: 'AuthError', code: 'timeout' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('a lost refresh cannot wedge every later refresh', async () => {
    let lose = true;
    const auth = world.client({ timeout: 100, fetch: deafFetch((url) => lose && url.endsWith('/auth/refresh-token')) });
    await auth.login(USER);

    await expect(auth.refresh()).rejects.toMatchObject({ code: 'timeout' });
    lose = false;
    await expect(auth.refresh()).resolves.toMatchObject({ user: { email: USER.email } });
    expect(auth.getState().status).toBe('authenticated');
  });

  it('a body that never finishes still times out', async () => {
    const stalled: typeof fetch = async () =>
      new Response(new ReadableStream({ start: (controller) => controller.enqueue(new TextEncoder().encode('{"acc')) }), { status: 200 });
    const auth = world.client({ timeout: 100, fetch: stalled });
    await expect(auth.restore()).rejects.toMatchObject({ code: 'timeout' });
  });
});
