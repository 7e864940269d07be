import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthClient } from 'tokenkeeper';
import { createIdleTimeout, type IdleTimeoutOptions } from 'tokenkeeper/idle';
import { countPageListeners } from '../support/listener-count';
import { createLockManager, installLockManager } from '../support/lock-manager';
import { API, setupWorld, USER } from '../support/world';

// tokenkeeper/idle on fake timers (setTimeout and Date) against the mock server. Tabs are clients
// with `crossTab: true` sharing BroadcastChannel names and one lock manager, as a browser's tabs do;
// each tab hears activity on its own EventTarget (the `target` option), as each has its own window.
const world = setupWorld();
const realSetTimeout = globalThis.setTimeout;
/** Lets BroadcastChannel messages arrive: they travel on the real event loop, not on the fake timers. */
const deliver = () => new Promise((resolve) => realSetTimeout(resolve, 30));
const S = 1000;
let locks: ReturnType<typeof createLockManager>;
let uninstall = () => {};
const stops: Array<() => void> = [];

const useFakeTimers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
beforeEach(() => {
  locks = createLockManager();
  uninstall = installLockManager(locks);
  useFakeTimers();
});
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  uninstall();
  vi.useRealTimers();
});

/** Moves the clock on `ms` (firing due timers), then lets the channels deliver. */
async function pass(ms: number) {
  await vi.advanceTimersByTimeAsync(ms);
  await deliver();
}

interface Tab {
  auth: AuthClient;
  /** This tab's page: dispatch activity here. */
  page: EventTarget;
  events: string[];
}

function idleTab(auth: AuthClient, options: Omit<IdleTimeoutOptions, 'target'>): Tab {
  const page = new EventTarget();
  const events: string[] = [];
  const idle = createIdleTimeout(auth, { ...options, target: page });
  stops.push(idle.stop);
  idle.on('warning', ({ logoutAt }) => events.push(`warning:${(logoutAt - Date.now()) / S}`));
  idle.on('active', () => events.push('active'));
  auth.onLogout(({ reason }) => events.push(`logout:${reason}`));
  return { auth, page, events };
}

/**
 * `count` tabs signed in by a login in the first, each then counting with `options`. The login runs
 * on real timers: the other tabs hear of it over the channel, and the Web Lock is let go on its own time.
 */
async function signedInTabs(count: number, options: Omit<IdleTimeoutOptions, 'target'>): Promise<Tab[]> {
  vi.useRealTimers();
  const clients = Array.from({ length: count }, () => world.client({ crossTab: true }));
  await Promise.all(clients.map((client) => client.restore())); // page load: anonymous and listening
  await clients[0]!.login(USER);
  // Delivered to every tab, and the lock let go: waited for as such, as a loaded machine may take a while.
  await vi.waitFor(() => {
    for (const client of clients) expect(client.getState().status).toBe('authenticated');
    expect(locks.busy).toBe(false);
  }, { timeout: 5_000 });
  useFakeTimers();
  const tabs = clients.map((client) => idleTab(client, options));
  for (const tab of tabs) expect(tab.auth.getState().status).toBe('authenticated');
  return tabs;
}

const act = (tab: Tab, type = 'pointerdown') => tab.page.dispatchEvent(new Event(type));

describe('one tab', () => {
  it('warns `warning` s before the timeout, then ends the session with reason idle; the server is told once', async () => {
    const [tab] = await signedInTabs(1, { timeout: 60, warning: 10 });
    await pass(49 * S);
    expect(tab!.events).toEqual([]);
    await pass(1 * S);
    expect(tab!.events).toEqual(['warning:10']);
    await pass(10 * S);
    expect(tab!.events).toEqual(['warning:10', 'logout:idle']);
    expect(tab!.auth.getState().status).toBe('anonymous');
    expect(world.auth.stats.logouts).toBe(1);
  });

  it('warning defaults to 60 s', async () => {
    const [tab] = await signedInTabs(1, { timeout: 100 });
    await pass(40 * S);
    expect(tab!.events).toEqual(['warning:60']);
  });

  it('activity resets the count; activity after a warning fires active and the count restarts', async () => {
    const [tab] = await signedInTabs(1, { timeout: 60, warning: 10 });
    await pass(40 * S);
    act(tab!, 'keydown');
    await pass(40 * S); // 80 s in, 40 s after the key
    expect(tab!.events).toEqual([]);
    await pass(15 * S); // warned at 90 s
    expect(tab!.events).toEqual(['warning:10']);
    act(tab!, 'wheel');
    expect(tab!.events).toEqual(['warning:10', 'active']);
    await pass(55 * S); // past the old deadline (100 s), warned again at 145 s
    expect(tab!.auth.getState().status).toBe('authenticated');
    expect(tab!.events).toEqual(['warning:10', 'active', 'warning:10']);
    await pass(5 * S);
    expect(tab!.events).toEqual(['warning:10', 'active', 'warning:10', 'logout:idle']);
  });

  it('activity is heard on window in the capture phase, even when the page stops its propagation', async () => {
    const auth = world.client();
    const idle = createIdleTimeout(auth, { timeout: 60, warning: 10 });
    stops.push(idle.stop);
    const button = document.body.appendChild(document.createElement('button'));
    button.addEventListener('pointerdown', (event) => event.stopPropagation());
    await auth.login(USER);
    await pass(45 * S);
    button.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    await pass(45 * S);
    expect(auth.getState().status).toBe('authenticated');
    button.remove();
  });

  it('a tab becoming hidden is no activity; becoming visible is', async () => {
    const auth = world.client();
    const idle = createIdleTimeout(auth, { timeout: 60, warning: 10 });
    stops.push(idle.stop);
    await auth.login(USER);
    let visibility: DocumentVisibilityState = 'hidden';
    vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    await pass(45 * S);
    document.dispatchEvent(new Event('visibilitychange'));
    await pass(15 * S);
    expect(auth.getState().status).toBe('anonymous');

    await auth.login(USER);
    await pass(45 * S);
    visibility = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    await pass(45 * S);
    expect(auth.getState().status).toBe('authenticated');
  });

  // Fix (b): a closed laptop holds timers back. The activity that wakes the page came after the
  // timeout was due: it must not count as activity in time.
  it('activity after a timer held back by sleep does not undo a timeout that was already due', async () => {
    const [tab] = await signedInTabs(1, { timeout: 60, warning: 10 });
    await pass(30 * S);
    vi.setSystemTime(Date.now() + 120 * S); // asleep: the clock moved, no timer ran
    act(tab!);
    await pass(0);
    expect(tab!.auth.getState().status).toBe('anonymous');
    expect(tab!.events).toEqual(['logout:idle']);
    expect(world.auth.stats.logouts).toBe(1);
  });

  it('counts only while authenticated: nothing while anonymous, afresh after each login', async () => {
    const auth = world.client();
    const tab = idleTab(auth, { timeout: 60, warning: 10 });
    await pass(600 * S);
    expect(tab.events).toEqual([]);

    await auth.login(USER);
    await pass(30 * S);
    await auth.logout();
    await pass(600 * S);
    expect(tab.events).toEqual(['logout:user']);

    await auth.login(USER);
    await pass(49 * S);
    expect(tab.events).toEqual(['logout:user']); // counted from this login, not the first
    await pass(11 * S);
    expect(tab.events).toEqual(['logout:user', 'warning:10', 'logout:idle']);
  });

  it('a refresh does not restart the count', async () => {
    const [tab] = await signedInTabs(1, { timeout: 60, warning: 10 });
    await pass(30 * S);
    const refreshed = tab!.auth.refresh();
    await pass(1 * S);
    await refreshed;
    await pass(29 * S);
    expect(tab!.events).toEqual(['warning:10', 'logout:idle']);
  });
});

describe('across tabs', () => {
  it('activity in one tab keeps the others signed in; then all time out, reason idle in each, the server told once', async () => {
    const tabs = await signedInTabs(3, { timeout: 60, warning: 10 });
    await pass(45 * S);
    act(tabs[2]!);
    await pass(45 * S); // 90 s after login, 45 s after the activity
    for (const tab of tabs) expect(tab.auth.getState().status).toBe('authenticated');

    await pass(20 * S);
    for (const tab of tabs) expect(tab.events).toEqual(['warning:10', 'logout:idle']);
    expect(world.auth.stats.logouts).toBe(1);
  });

  // Fix (a): tabs that time out together take turns, and only a tab still signed in tells the server.
  it('two tabs timing out together tell the server once', async () => {
    const tabs = await signedInTabs(3, { timeout: 60, warning: 10 });
    const granted = locks.granted;
    // Every tab's timer fires in the same moment (a laptop waking up), before any message can arrive.
    vi.advanceTimersByTime(60 * S);
    await pass(1 * S);
    for (const tab of tabs) expect(tab.events).toEqual(['warning:10', 'logout:idle']);
    expect(world.auth.stats.logouts).toBe(1);
    // Each tab took its turn (and the first tab's logout its own lock), and found nothing to do.
    await vi.waitFor(() => expect(locks.granted - granted).toBe(4));
    expect(world.auth.stats.logouts).toBe(1);
  });

  it('tabs timing out together try once even when the server cannot be reached', async () => {
    const tabs = await signedInTabs(3, { timeout: 60, warning: 10 });
    const granted = locks.granted;
    const logoutCalls: string[] = [];
    world.server.use(http.post(`${API}/auth/logout`, () => HttpResponse.error()));
    const count = ({ request }: { request: Request }) => void (request.url.endsWith('/auth/logout') && logoutCalls.push(request.url));
    world.server.events.on('request:start', count);
    try {
      vi.advanceTimersByTime(60 * S);
      await vi.waitFor(() => expect(locks.granted - granted).toBe(4));
      for (const tab of tabs) expect(tab.events).toEqual(['warning:10', 'logout:idle']);
      expect(logoutCalls).toHaveLength(1);
    } finally {
      world.server.events.removeListener('request:start', count);
    }
  });

  it('activity in another tab after a warning cancels it here too: active', async () => {
    const [a, b] = await signedInTabs(2, { timeout: 60, warning: 10 });
    await pass(52 * S);
    act(a!);
    await deliver();
    expect(b!.events).toEqual(['warning:10', 'active']);
    await pass(30 * S);
    expect(b!.auth.getState().status).toBe('authenticated');
  });

  it('shares activity at most once every 5 s: never a message per mouse move', async () => {
    const [a] = await signedInTabs(1, { timeout: 60, warning: 10 });
    const listener = new BroadcastChannel('tokenkeeper:idle');
    const told: unknown[] = [];
    listener.onmessage = ({ data }) => void told.push(data);
    for (let i = 0; i < 200; i++) act(a!, 'pointermove');
    await pass(1 * S);
    expect(told).toEqual([{ v: 1, type: 'activity', at: expect.any(Number) }]);
    await pass(10 * S);
    expect(told).toHaveLength(2); // the moves after the first, told when the window closed
    listener.close();
  });

  // Fix (c): activity inside the sharing window is told when the window closes, or the other tabs
  // would count from the first activity of the window and end the session up to 5 s early.
  it('activity inside the sharing window is told to the other tabs at its end', async () => {
    const [a, b] = await signedInTabs(2, { timeout: 60, warning: 10 });
    await pass(1 * S);
    act(a!); // 1 s: told at once
    await pass(3 * S);
    act(a!); // 4 s: inside the window, told at 6 s
    await pass(49 * S); // 53 s: counting from 1 s, B would have warned at 51 s
    expect(b!.events).toEqual([]);
    await pass(9 * S); // 62 s: counting from 1 s, B would have ended the session for all at 61 s
    expect(b!.events).toEqual(['warning:10']);
    for (const tab of [a!, b!]) expect(tab.auth.getState().status).toBe('authenticated');
    await pass(2 * S);
    for (const tab of [a!, b!]) expect(tab.events).toEqual(['warning:10', 'logout:idle']);
    expect(world.auth.stats.logouts).toBe(1);
  });

  // With a short timeout (timeout − warning under the 5 s sharing window), activity told at the
  // window's end can arrive while its own deadline is already inside the warning: the warning stands,
  // with the later deadline, and no `active` is fired just before the next `warning` (a banner flicker).
  it('activity told late that still leaves the deadline inside the warning moves the deadline without an active', async () => {
    const [a, b] = await signedInTabs(2, { timeout: 8, warning: 6 });
    await pass(1 * S);
    act(a!); // 1 s: told at once; both tabs warn at 3 s for 9 s
    await pass(2.5 * S);
    act(a!); // 3.5 s: cancels A's warning; told to B when the window ends, at 6 s
    await pass(2.5 * S);
    expect(a!.events).toEqual(['warning:6', 'active', 'warning:6']); // its own 3.5 s + 2 s
    expect(b!.events).toEqual(['warning:6', 'warning:5.5']); // 6 s: from 3.5 s the deadline is 11.5 s
    await pass(5.4 * S);
    for (const tab of [a!, b!]) expect(tab.auth.getState().status).toBe('authenticated');
    await pass(0.2 * S);
    expect(a!.events).toEqual(['warning:6', 'active', 'warning:6', 'logout:idle']);
    expect(b!.events).toEqual(['warning:6', 'warning:5.5', 'logout:idle']);
    expect(world.auth.stats.logouts).toBe(1);
  });

  it('without BroadcastChannel, the timeout still works in its tab', async () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    expect(world.auth.stats.logouts).toBe(0);
    const auth = world.client();
    const tab = idleTab(auth, { timeout: 60, warning: 10 });
    await auth.login(USER);
    await pass(45 * S);
    act(tab);
    await pass(45 * S);
    expect(auth.getState().status).toBe('authenticated');
    await pass(15 * S);
    expect(tab.events).toEqual(['warning:10', 'logout:idle']);
    expect(world.auth.stats.logouts).toBe(1);
  });

  it('without Web Locks, a lone tab still times out', async () => {
    uninstall();
    const [tab] = await signedInTabs(1, { timeout: 60, warning: 10 });
    await pass(60 * S);
    expect(tab!.events).toEqual(['warning:10', 'logout:idle']);
  });
});

describe('options and stop()', () => {
  it.each([
    [{ timeout: 60, warning: 60 }],
    [{ timeout: 30, warning: 60 }],
    [{ timeout: 60 }], // warning's default, 60, is not less than 60
    [{ timeout: 0, warning: -1 }],
    [{ timeout: -10, warning: -20 }],
    [{ timeout: 60, warning: 0 }],
    [{ timeout: Number.NaN, warning: 10 }],
    [{ timeout: Number.POSITIVE_INFINITY, warning: 10 }],
    [{ timeout: 60, warning: Number.NaN }],
    [{ timeout: '900' as unknown as number, warning: 10 }],
    [{ timeout: 900, warning: null as unknown as number }],
  ])('%j is a TypeError at creation', (options) => {
    expect(() => createIdleTimeout(world.client(), options)).toThrow(TypeError);
  });

  it('stop() removes every listener, timer and channel; twice is harmless', async () => {
    const listeners = countPageListeners();
    const auth = world.client();
    await auth.login(USER);
    const [timers, before] = [vi.getTimerCount(), listeners()];
    const idle = createIdleTimeout(auth, { timeout: 60, warning: 10 });
    const warnings: unknown[] = [];
    idle.on('warning', (payload) => warnings.push(payload));
    expect(listeners() - before).toBe(6);
    const otherTab = new BroadcastChannel('tokenkeeper:idle');
    const told: unknown[] = [];
    otherTab.onmessage = ({ data }) => void told.push(data);
    window.dispatchEvent(new Event('keydown'));

    idle.stop();
    idle.stop();
    expect(listeners()).toBe(before);
    expect(vi.getTimerCount()).toBe(timers); // the client's own refresh timer, nothing of ours
    window.dispatchEvent(new Event('keydown'));
    await pass(11 * S);
    expect(told).toHaveLength(1);
    await pass(600 * S);
    expect(warnings).toEqual([]);
    expect(auth.getState().status).toBe('authenticated');
    otherTab.close();
  });

  it('stop() after auth.dispose() is harmless, and so is dispose() after stop()', async () => {
    const auth = world.client();
    const idle = createIdleTimeout(auth, { timeout: 60, warning: 10 });
    await auth.login(USER);
    auth.dispose();
    expect(() => idle.stop()).not.toThrow();
    expect(() => idle.stop()).not.toThrow();
    const other = world.client();
    const second = createIdleTimeout(other, { timeout: 60, warning: 10 });
    second.stop();
    expect(() => other.dispose()).not.toThrow();
  });

  it('on() returns its unsubscribe; a handler that stops the timeout stops it', async () => {
    const auth = world.client();
    const idle = createIdleTimeout(auth, { timeout: 60, warning: 10 });
    stops.push(idle.stop);
    const seen: string[] = [];
    const off = idle.on('warning', () => seen.push('removed'));
    off();
    idle.on('warning', () => {
      seen.push('warning');
      idle.stop();
    });
    await auth.login(USER);
    await pass(120 * S);
    expect(seen).toEqual(['warning']);
    expect(auth.getState().status).toBe('authenticated');
  });
});
