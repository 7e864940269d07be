import { describe, expect, it, vi } from 'vitest';
import { createAuthClient, parseTokenResponse, type AuthError } from 'tokenkeeper';
import { API, setupWorld, USER } from '../support/world';

// Issue 8, property 5: telling other tabs can never break the operation it reports.
const world = setupWorld();

function collectErrors(auth: { on(event: 'error', handler: (payload: { error: AuthError }) => void): () => void }) {
  const errors: AuthError[] = [];
  auth.on('error', ({ error }) => errors.push(error));
  return errors;
}

describe('when the channel to other tabs fails', () => {
  it('a user the channel cannot clone: login, refresh and logout still complete; the error event says why', async () => {
    const auth = world.client({
      crossTab: true,
      // A class instance with a method: structured clone refuses it.
      parseTokenResponse(body) {
        const parsed = parseTokenResponse(body);
        return parsed.user ? { ...parsed, user: { ...parsed.user, greet: () => 'hi' } } : parsed;
      },
    });
    const errors = collectErrors(auth);

    await expect(auth.login(USER)).resolves.toMatchObject({ user: { email: USER.email } });
    expect(auth.getState().status).toBe('authenticated');
    await expect(auth.refresh()).resolves.toMatchObject({ user: { email: USER.email } });
    await expect(auth.logout()).resolves.toBeUndefined();

    expect(world.auth.stats).toMatchObject({ logins: 1, refreshes: 1, logouts: 1 });
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ name: 'AuthError', code: 'network', message: expect.stringMatching(/other tabs/i) });
  });

  it('a channel that refuses every message: the operations complete and logout still calls the server', async () => {
    class BrokenChannel extends EventTarget {
      onmessage: unknown = null;
      postMessage() {
        throw new DOMException('BroadcastChannel is closed', 'InvalidStateError');
      }
      close() {}
    }
    vi.stubGlobal('BroadcastChannel', BrokenChannel);
    const auth = world.client({ crossTab: true });
    const errors = collectErrors(auth);

    await auth.login(USER);
    await auth.refresh();
    await expect(auth.logout()).resolves.toBeUndefined();

    expect(auth.getState().status).toBe('anonymous');
    expect(world.auth.stats).toMatchObject({ logins: 1, refreshes: 1, logouts: 1 });
    expect(errors.map((e) => e.code)).toContain('network');
  });

  it('crossTab: true in a runtime without BroadcastChannel is a clear TypeError at creation', () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    expect(() => createAuthClient({ baseUrl: API, crossTab: true })).toThrow(TypeError);
    expect(() => createAuthClient({ baseUrl: API, crossTab: true })).toThrow(/BroadcastChannel/);
    expect(() => createAuthClient({ baseUrl: API })).not.toThrow(); // the default simply stays in one tab
  });
});
