import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuthClient, type AuthClient } from 'tokenkeeper';
import { createAuthServer } from 'tokenkeeper/msw';
import { createLockManager, installLockManager } from '../support/lock-manager';

// Issue 17, property 4: two clients on one origin whose sessions differ by path (Keycloak realms,
// tenants) never hear each other; clients of one refresh endpoint share one session.
const ORIGIN = 'https://sso.example.com';
const ALICE = { email: 'alice@example.com', password: 'alice-password' };
const realmA = createAuthServer({ baseUrl: `${ORIGIN}/realms/a`, users: [ALICE] });
const realmB = createAuthServer({ baseUrl: `${ORIGIN}/realms/b`, users: [ALICE] });
const server = setupServer(...realmA.handlers, ...realmB.handlers);
const clients: AuthClient[] = [];
const tab = (realm: 'a' | 'b') => {
  const client = createAuthClient({ baseUrl: `${ORIGIN}/realms/${realm}`, crossTab: true });
  clients.push(client);
  return client;
};
let uninstall = () => {};
beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  uninstall = installLockManager(createLockManager());
});
afterEach(() => {
  for (const client of clients.splice(0)) client.dispose();
  realmA.reset();
  realmB.reset();
});
afterAll(() => {
  uninstall();
  server.close();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('two realms on one origin', () => {
  it("a login in one realm is not adopted by the other realm's tab, nor a logout", async () => {
    const inA = tab('a');
    const inB = tab('b');
    await inB.restore(); // listening, signed out
    await inA.restore();
    await inA.login(ALICE);
    await settle();
    expect(inB.getState().status).toBe('anonymous');

    await inB.login(ALICE);
    await inA.logout();
    await settle();
    expect(inB.getState().status).toBe('authenticated');
    expect(inA.getState().status).toBe('anonymous');
  });

  it("a refresh in one realm is not another realm's token", async () => {
    const inA = tab('a');
    const inB = tab('b');
    await inA.login(ALICE);
    await inB.login(ALICE);
    const tokenB = await inB.getAccessToken();

    await inA.refresh();
    await settle();

    expect(await inB.getAccessToken()).toBe(tokenB);
  });

  it('two tabs of one realm still share one session', async () => {
    const first = tab('a');
    const second = tab('a');
    await second.restore();
    await first.login(ALICE);
    await vi.waitFor(() => expect(second.getState().status).toBe('authenticated'));
    await first.logout();
    await vi.waitFor(() => expect(second.getState().status).toBe('anonymous'));
  });
});
