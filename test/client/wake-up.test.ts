import { afterEach, describe, expect, it, vi } from 'vitest';
import { countPageListeners } from '../support/listener-count';
import { setupWorld, USER } from '../support/world';

// Timers in background tabs are throttled or frozen: coming back must refresh a due token at once.
const world = setupWorld();
afterEach(() => {
  vi.useRealTimers();
  delete (document as { visibilityState?: string }).visibilityState;
});

const refreshed = (auth: ReturnType<typeof world.client>) => new Promise((resolve) => auth.on('refresh', resolve));
/** A client whose every auth call is noted as it goes out. */
const watchedClient = () => {
  const calls: string[] = [];
  const auth = world.client({ fetch: (input, init) => (calls.push(String(input)), fetch(input, init)) });
  return { auth, calls };
};
/**
 * A refresh the event started would have called fetch by now: it does so within microtasks. Judged
 * at the client rather than at the server, so no sleep has to outlast a loaded machine.
 */
const aTurnLater = () => new Promise((resolve) => setTimeout(resolve, 0));
const wakeEvents: Array<[string, () => EventTarget]> = [
  ['focus', () => window],
  ['online', () => window],
  ['pageshow', () => window],
  ['visibilitychange', () => document],
];

describe('wake-up', () => {
  it.each(wakeEvents)('%s refreshes a token past its refresh point at once', async (type, target) => {
    const auth = world.client();
    await auth.login(USER);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 280_000); // past expiresAt - 30 s, but the (real) timer is far off
    const done = refreshed(auth);
    target().dispatchEvent(new Event(type));
    await done;
    expect(world.auth.stats.refreshes).toBe(1);
  });

  it('does nothing while the token is fresh', async () => {
    const { auth, calls } = watchedClient();
    await auth.login(USER);
    calls.length = 0;
    window.dispatchEvent(new Event('focus'));
    await aTurnLater();
    expect(calls).toEqual([]);
    expect(world.auth.stats.refreshes).toBe(0);
  });

  it('a hidden tab waits until it is visible again', async () => {
    const { auth, calls } = watchedClient();
    await auth.login(USER);
    calls.length = 0;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 280_000);
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    window.dispatchEvent(new Event('online'));
    await aTurnLater();
    expect(calls).toEqual([]);
    expect(world.auth.stats.refreshes).toBe(0);

    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    const done = refreshed(auth);
    document.dispatchEvent(new Event('visibilitychange'));
    await done;
    expect(world.auth.stats.refreshes).toBe(1);
  });

  it('leaves no listener behind after logout or dispose()', async () => {
    const count = countPageListeners();

    const auth = world.client({ crossTab: true });
    expect(count()).toBe(0); // creating a client attaches nothing
    await auth.login(USER);
    expect(count()).toBe(4);
    await auth.refresh(); // re-scheduling does not pile up listeners
    expect(count()).toBe(4);
    await auth.logout();
    expect(count()).toBe(0);
    await auth.login(USER);
    auth.dispose();
    expect(count()).toBe(0);
  });
});
