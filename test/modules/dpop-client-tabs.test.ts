// @vitest-environment node
// Tabs with `dpop`: a token is bound to the key of the tab that fetched it, so the key pair rides
// with the grant in the cross-tab message and the receiving tab adopts both together. Tabs are
// clients on one BroadcastChannel name and one lock manager, as a browser's tabs are; each has its
// own createDpop(). The mock refuses a bound token signed by any other key, so every 200 below
// shows the tab signed with the key its token is bound to.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { createAuthClient, type AuthClient } from 'tokenkeeper';
import { createDpop, type DpopHandle } from 'tokenkeeper/dpop';
import { createAuthServer } from 'tokenkeeper/msw';
import { createLockManager, installLockManager } from '../support/lock-manager';

const API = 'https://tabs.example.com';
const ALICE = { email: 'alice@example.com', password: 'wonderland' };
// The server's clock is the client's (fake timers included): proofs' iat stays in its window.
const auth = createAuthServer({ baseUrl: API, dpop: true, accessTokenTtl: 300, now: () => Date.now(), users: [ALICE] });
const server = setupServer(...auth.handlers);

interface Tab {
  client: AuthClient;
  dpop: DpopHandle;
}
const tabs: Tab[] = [];
const openTab = (): Tab => {
  const dpop = createDpop();
  const tab = { client: createAuthClient({ baseUrl: API, crossTab: true, dpop }), dpop };
  // A message the channel refuses would leave the other tabs without the token: fail loudly.
  tab.client.on('error', ({ error }) => {
    throw error;
  });
  tabs.push(tab);
  return tab;
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

/**
 * A BroadcastChannel as browsers have it: each other channel of the name gets its own structured
 * clone, asynchronously. Node 20's own cannot deliver a CryptoKey to more than one receiver ("Message
 * could not be posted"); Chromium can (test/e2e/dpop.test.ts shows it with real tabs).
 */
class TabChannel {
  static readonly open = new Set<TabChannel>();
  onmessage: ((event: { data: unknown }) => void) | null = null;
  constructor(readonly name: string) {
    TabChannel.open.add(this);
  }
  postMessage(data: unknown): void {
    for (const other of TabChannel.open) {
      if (other === this || other.name !== this.name) continue;
      const copy = structuredClone(data);
      setTimeout(() => other.onmessage?.({ data: copy }), 0);
    }
  }
  close(): void {
    TabChannel.open.delete(this);
  }
}

let uninstall = () => {};
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  if (typeof navigator === 'undefined') vi.stubGlobal('navigator', {}); // Node 20 has none
  vi.stubGlobal('BroadcastChannel', TabChannel);
  uninstall = installLockManager(createLockManager());
});
afterEach(() => {
  vi.useRealTimers();
  for (const { client } of tabs.splice(0)) client.dispose();
  uninstall();
  vi.unstubAllGlobals();
  auth.reset();
});
afterAll(() => server.close());

describe('one key across tabs', () => {
  test("a login in one tab hands its token and its key to the others: they sign with it, and the key stays unexportable", async () => {
    const [first, second, third] = [openTab(), openTab(), openTab()];
    await Promise.all(tabs.map(({ client }) => client.restore())); // page load: anonymous, listening
    // Each tab made a key for its page-load refresh.
    expect(new Set(await Promise.all(tabs.map(({ dpop }) => dpop.thumbprint()))).size).toBe(3);

    await first!.client.login(ALICE);
    await settle();

    const key = await first!.dpop.thumbprint();
    expect(await second!.dpop.thumbprint()).toBe(key);
    expect(await third!.dpop.thumbprint()).toBe(key);
    expect(second!.dpop.exportForTabs()!.privateKey.extractable).toBe(false);
    const statuses = await Promise.all(tabs.map(({ client }) => client.authFetch(`${API}/me`).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200]);
    expect(auth.stats.logins).toBe(1);
    expect(auth.stats.refreshes).toBe(0); // the page-load restores found no cookie
  });

  test("a tab opened later refreshes on page load with a key of its own: the open tab takes that token and key together", async () => {
    const [first] = [openTab()];
    await first!.client.restore();
    await first!.client.login(ALICE);
    const before = await first!.dpop.thumbprint();
    const late = openTab();
    expect(late.dpop.exportForTabs()).toBeUndefined(); // no key until its first call

    await late.client.restore(); // the cookie is shared, as a browser's is: this refresh rotates it
    await settle();

    const key = await late.dpop.thumbprint();
    expect(key).not.toBe(before);
    expect(await first!.dpop.thumbprint()).toBe(key);
    expect(await first!.client.getAccessToken()).toBe(await late.client.getAccessToken());
    // The first tab's old token was bound to its old key; its new one is late's, and so is its key.
    expect((await first!.client.authFetch(`${API}/me`)).status).toBe(200);
    expect(auth.stats.refreshes).toBe(1);
  });

  test('three tabs whose tokens expire together: one refresh, one key, every request answered', async () => {
    const [first] = [openTab(), openTab(), openTab()];
    await Promise.all(tabs.map(({ client }) => client.restore()));
    await first!.client.login(ALICE);
    await settle();
    const refreshes = auth.stats.refreshes;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 400_000); // the laptop wakes up: every token is dead

    const statuses = await Promise.all(tabs.map(({ client }) => client.authFetch(`${API}/me`).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200]);
    expect(auth.stats.refreshes - refreshes).toBe(1);
    expect(auth.stats.reuseDetected).toBe(0);
    const keys = await Promise.all(tabs.map(({ dpop }) => dpop.thumbprint()));
    expect(new Set(keys).size).toBe(1);
    const tokens = await Promise.all(tabs.map(({ client }) => client.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
  });
});
