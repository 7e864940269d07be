import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthClient } from 'tokenkeeper';
import { useSimulatedTabs } from '../support/tabs';
import { API, setupWorld, USER } from '../support/world';

// Tabs simulated as clients sharing a BroadcastChannel name and one lock manager, as a browser's tabs do.
const world = setupWorld();
/** `settle`: until the tabs heard every message sent so far. */
const { locks, uninstallLocks, delivered: settle } = useSimulatedTabs();
afterEach(() => void vi.useRealTimers());

const tab = () => world.client({ crossTab: true });

async function signedInTabs(count: number): Promise<AuthClient[]> {
  const tabs = Array.from({ length: count }, tab);
  await Promise.all(tabs.map((t) => t.restore())); // page load: everyone anonymous and listening
  await tabs[0]!.login(USER);
  await settle();
  return tabs;
}

describe('cross-tab', () => {
  it('a login in one tab signs in the others without a network call', async () => {
    const tabs = await signedInTabs(3);
    for (const t of tabs) expect(t.getState()).toMatchObject({ status: 'authenticated', user: { email: USER.email } });
    expect(world.auth.stats.logins).toBe(1);
    expect(world.auth.stats.refreshes).toBe(0);
    const tokens = await Promise.all(tabs.map((t) => t.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
  });

  it('five tabs whose tokens expire together cause one refresh and no reuse', async () => {
    const tabs = await signedInTabs(5);
    const { refreshes, rejectedRefreshes } = world.auth.stats;
    const grantedBefore = locks().granted;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 400_000); // the laptop wakes up: every token is dead

    const responses = await Promise.all(tabs.map((t) => t.authFetch(world.echoUrl)));

    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(world.auth.stats.refreshes - refreshes).toBe(1);
    expect(world.auth.stats.rejectedRefreshes - rejectedRefreshes).toBe(0);
    expect(world.auth.stats.reuseDetected).toBe(0);
    // One tab asked the server under the lock; the others took its answer from the channel and left
    // the queue, but for at most one handed the lock before it heard the answer, which caught up first.
    expect(locks().granted - grantedBefore).toBeLessThanOrEqual(2);
    const tokens = await Promise.all(tabs.map((t) => t.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
  });

  it('a logout in one tab ends the others with reason remote', async () => {
    const tabs = await signedInTabs(3);
    const reasons = tabs.map(() => [] as string[]);
    tabs.forEach((t, i) => t.onLogout(({ reason }) => reasons[i]!.push(reason)));

    await tabs[1]!.logout();
    await settle();

    expect(reasons).toEqual([['remote'], ['user'], ['remote']]);
    for (const t of tabs) expect(t.getState().status).toBe('anonymous');
    expect(await tabs[0]!.getAccessToken()).toBeNull();
    expect(world.auth.stats.logouts).toBe(1); // the others did not call the server again
  });

  it('a refused refresh in one tab ends the session in all, each firing logout once', async () => {
    const tabs = await signedInTabs(3);
    const reasons: string[] = [];
    for (const t of tabs) t.onLogout(({ reason }) => reasons.push(reason));
    const { rejectedRefreshes } = world.auth.stats; // the page-load restores before login were refused
    world.auth.revokeAll();
    await expect(tabs[0]!.refresh()).rejects.toMatchObject({ code: 'unauthorized' });
    await settle();
    expect(reasons).toEqual(['refresh_failed', 'refresh_failed', 'refresh_failed']);
    expect(world.auth.stats.rejectedRefreshes - rejectedRefreshes).toBe(1);
  });

  it('a page-load restore that finds no session does not sign out the tabs that have one', async () => {
    const [a] = await signedInTabs(1);
    const reasons: string[] = [];
    a!.onLogout(({ reason }) => reasons.push(reason));
    // A new tab whose restore raced a login elsewhere: its refresh went out before the cookie existed.
    world.server.use(http.post(`${API}/auth/refresh-token`, () => HttpResponse.json({ error: 'unauthorized' }, { status: 401 }), { once: true }));
    const b = tab();
    expect(await b.restore()).toBeNull();
    await settle();
    expect(a!.getState().status).toBe('authenticated');
    expect(reasons).toEqual([]);
  });

  it('a late refreshed message never replaces a newer token', async () => {
    const [a] = await signedInTabs(1);
    const mine = await a!.getAccessToken();
    const late = new BroadcastChannel(`tokenkeeper:${API}`);
    const stale = { accessToken: 'older-token', expiresAt: Date.now() + 1_000, refreshAt: Date.now() + 500, user: null, userFromServer: false };
    late.postMessage({ v: 1, type: 'refreshed', grant: stale });
    await settle();
    late.close();
    expect(await a!.getAccessToken()).toBe(mine);
  });

  it('ignores garbage and messages from another version on the channel', async () => {
    const tabs = await signedInTabs(2);
    const intruder = new BroadcastChannel(`tokenkeeper:${API}`);
    const evil = { accessToken: 'evil', expiresAt: null, refreshAt: null, user: {}, userFromServer: true };
    for (const data of [
      null,
      'logout',
      42,
      { type: 'logout', reason: 'user' }, // no version
      { v: 2, type: 'logout', reason: 'user' },
      { v: 1, type: 'logout', reason: 'because' },
      { v: 1, type: 'refreshed', grant: { ...evil, accessToken: 'bad\r\ntoken' } },
      { v: 1, type: 'refreshed', grant: { ...evil, expiresAt: 'soon' } },
      { v: 1, type: 'login' },
      { v: 1, type: 'explode' },
    ]) {
      intruder.postMessage(data);
    }
    await settle();
    intruder.close();
    for (const t of tabs) expect(t.getState().status).toBe('authenticated');
    expect(await tabs[1]!.getAccessToken()).not.toBe('evil');
  });

  it('a refreshed token from another tab is adopted, with a refresh event and no request', async () => {
    const [a, b] = await signedInTabs(2);
    const before = world.auth.stats.refreshes;
    const events: unknown[] = [];
    b!.on('refresh', (e) => events.push(e));
    await a!.refresh();
    await settle();
    expect(world.auth.stats.refreshes).toBe(before + 1);
    expect(await b!.getAccessToken()).toBe(await a!.getAccessToken());
    expect(events).toHaveLength(1);
  });

  it('without Web Locks, each tab still refreshes safely on its own', async () => {
    uninstallLocks();
    const tabs = await signedInTabs(3);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 400_000);
    const responses = await Promise.all(tabs.map((t) => t.authFetch(world.echoUrl)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(world.auth.stats.reuseDetected).toBe(0);
    expect(world.auth.stats.refreshes).toBeGreaterThanOrEqual(1);
  });

  it('dispose() closes the channel: a disposed tab hears nothing more', async () => {
    const [a, b] = await signedInTabs(2);
    b!.dispose();
    await a!.logout();
    await settle();
    expect(b!.getState().status).toBe('authenticated');
  });
});
