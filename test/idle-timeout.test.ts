import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLockManager, installLockManager } from './support/lock-manager';
import { countPageListeners } from './support/listener-count';
import { API, setupWorld, USER } from './support/world';

// Idle timeout: activity in any tab counts for all; every tab ends once; the server is told once.
const world = setupWorld();
let uninstall = () => {};
beforeEach(() => {
  uninstall = installLockManager(createLockManager());
});
afterEach(() => {
  uninstall();
  vi.useRealTimers();
});

const settle = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

describe('idleTimeout', () => {
  it('warns idleWarning seconds before, then ends the session with reason idle and tells the server once', async () => {
    const auth = world.client({ idleTimeout: 0.3, idleWarning: 0.1 });
    const events: string[] = [];
    auth.on('idle', ({ logoutAt }) => events.push(`idle:${Math.round((logoutAt - Date.now()) / 100)}`));
    auth.on('logout', ({ reason }) => events.push(`logout:${reason}`));
    await auth.login(USER);

    await settle(450);

    expect(events).toEqual(['idle:1', 'logout:idle']);
    expect(auth.getState().status).toBe('anonymous');
    expect(world.auth.stats.logouts).toBe(1);
  });

  it('activity after the warning fires active and cancels the timeout', async () => {
    const auth = world.client({ idleTimeout: 0.3, idleWarning: 0.15 });
    const events: string[] = [];
    auth.on('idle', () => events.push('idle'));
    auth.on('active', () => events.push('active'));
    auth.on('logout', () => events.push('logout'));
    await auth.login(USER);

    await settle(200); // warned
    window.dispatchEvent(new Event('keydown'));
    await settle(200); // would have timed out without the key

    expect(events.slice(0, 2)).toEqual(['idle', 'active']);
    expect(auth.getState().status).toBe('authenticated');
  });

  it('activity another tab reports keeps this one signed in', async () => {
    const auth = world.client({ crossTab: true, idleTimeout: 0.5, idleWarning: 0.1 });
    await auth.login(USER);
    const otherTab = new BroadcastChannel(`tokenkeeper:${API}`);

    await settle(300);
    otherTab.postMessage({ v: 1, type: 'activity', at: Date.now() }); // the user works in another tab
    await settle(350);
    expect(auth.getState().status).toBe('authenticated'); // 650 ms after login, 350 since the activity

    await settle(300);
    expect(auth.getState().status).toBe('anonymous');
    otherTab.close();
  });

  it('shares activity at most once every 5 s: never a message per mouse move', async () => {
    const auth = world.client({ crossTab: true, idleTimeout: 60 });
    await auth.login(USER);
    const listener = new BroadcastChannel(`tokenkeeper:${API}`);
    const activity: unknown[] = [];
    listener.onmessage = ({ data }) => void ((data as { type?: string }).type === 'activity' && activity.push(data));

    for (let i = 0; i < 200; i++) window.dispatchEvent(new Event('pointermove'));
    await settle();

    expect(activity).toHaveLength(1);
    listener.close();
  });

  it('two tabs timing out together end once each, and the server hears once', async () => {
    const tabA = world.client({ crossTab: true, idleTimeout: 0.4, idleWarning: 0.1 });
    const tabB = world.client({ crossTab: true, idleTimeout: 0.4, idleWarning: 0.1 });
    await tabB.restore();
    await tabA.login(USER);
    const reasons: string[] = [];
    for (const tab of [tabA, tabB]) tab.onLogout(({ reason }) => reasons.push(reason));

    await settle(700);

    expect(reasons).toEqual(['idle', 'idle']);
    expect(world.auth.stats.logouts).toBe(1);
  });

  it('without the option, no listener is attached', async () => {
    const listeners = countPageListeners();
    const auth = world.client();
    await auth.login(USER);
    const withoutIdle = listeners();
    const idle = world.client({ idleTimeout: 60 });
    await idle.login(USER);
    expect(listeners()).toBeGreaterThan(withoutIdle);
    idle.dispose();
    expect(listeners()).toBe(withoutIdle);
  });
});
