import { http } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuthClient } from 'tokenkeeper';
import { outcomeWithin } from '../support/outcome';
import { useSimulatedTabs } from '../support/tabs';
import { API, OTHER_USER, setupWorld, USER } from '../support/world';

// Issue 22: many tabs, one refresh, and no tab waits. A tab that the channel already brought the
// new token does not queue for the Web Lock, and one handed the lock before the news reached it
// catches up on the channel first; a message that is lost or late falls back to the lock and the
// server, never to a cookie presented twice; nothing in the lock waits on a timer, which a hidden
// tab would clamp. Tabs are clients sharing one lock manager and the real BroadcastChannel.
const world = setupWorld();
const refreshUrl = `${API}/auth/refresh-token`;
const LOCK = `tokenkeeper:refresh:${refreshUrl}`;
/** `settle`: until the tabs heard every message sent so far. */
const { locks, delivered: settle } = useSimulatedTabs();
/** The refresh cookie each refresh presented, in order. */
let presented: Array<string | undefined>;

/**
 * Every channel opened from now on, each of which can be made to hold back what it hears (a late
 * message: `release()` delivers it) or to lose it.
 */
function controlChannels() {
  const opened: Array<InstanceType<typeof Controlled>> = [];
  const Base = globalThis.BroadcastChannel;
  class Controlled extends Base {
    mode: 'hear' | 'hold' | 'lose' = 'hear';
    held: unknown[] = [];
    constructor(name: string) {
      super(name);
      opened.push(this);
      // Added before the client sets `onmessage`, so it can keep the message from it.
      this.addEventListener('message', (event) => {
        if (this.mode === 'hear') return;
        event.stopImmediatePropagation();
        if (this.mode === 'hold') this.held.push(event.data);
      });
    }
    release() {
      this.mode = 'hear';
      // As the runtime would have delivered it (this realm's MessageEvent is not the channel's).
      for (const data of this.held.splice(0)) (this.onmessage as ((event: { data: unknown }) => void) | null)?.call(this, { data });
    }
  }
  vi.stubGlobal('BroadcastChannel', Controlled);
  /** The channels `open` opened (a tab's own channel, opened on its first restore or login). */
  const openedBy = async (open: () => Promise<unknown>) => {
    const from = opened.length;
    await open();
    return opened.slice(from);
  };
  /** Resolves with the next channel opened from now on. */
  const nextOpened = () => {
    const from = opened.length;
    return vi.waitFor(() => opened[from] ?? Promise.reject(new Error('no channel opened yet')), { timeout: 5_000, interval: 1 });
  };
  return { openedBy, nextOpened };
}

beforeEach(() => {
  presented = [];
  world.server.use(
    http.post(refreshUrl, ({ cookies }) => {
      presented.push(cookies['tk_refresh']);
      return undefined; // on to the mock auth server
    }),
  );
});
afterEach(() => void vi.useRealTimers());

const tab = () => world.client({ crossTab: true });
const gateRefreshes = () => world.hold(refreshUrl);
const expireEveryToken = () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 400_000); // the laptop wakes up: every token is dead
};
/** Refresh-token reuse, whatever grace the server gives: a cookie that went out twice. */
const noCookiePresentedTwice = () => {
  const cookies = presented.filter((cookie) => cookie !== undefined); // page-load restores before any login have none
  expect(new Set(cookies).size, `cookies presented: ${cookies.join(', ')}`).toBe(cookies.length);
};
/** The server refuses every access token it issued so far; the tabs do not know it yet. */
const expireAtServer = () => void (world.serverClock.skew = 400_000);
/** Resolves once `count` Web Lock requests have been made since `spy` was set. */
const lockRequested = (spy: { mock: { calls: unknown[] } }, count: number) => vi.waitFor(() => expect(spy.mock.calls.length).toBeGreaterThanOrEqual(count));

async function signedIn(tabs: AuthClient[]) {
  await Promise.all(tabs.map((t) => t.restore())); // page load: everyone anonymous and listening
  await tabs[0]!.login(USER);
  await settle();
  presented.length = 0; // the page-load restores may have sent an earlier test's dead cookie
}

describe('tabs that only need the answer do not wait for the lock', () => {
  it('with every timer frozen, as in a hidden tab, five expired tabs get one refresh and all their replays', async () => {
    const tabs = Array.from({ length: 5 }, tab);
    await signedIn(tabs);
    const grantedBefore = locks().granted;
    // Not one timer fires from here on: a lock that lingered on a timer, or a turn taken with
    // setTimeout, would never finish.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(Date.now() + 400_000);

    const outcome = await outcomeWithin(Promise.all(tabs.map((t) => t.authFetch(world.echoUrl))), 10_000);

    expect(outcome).not.toBe('hang');
    const responses = (outcome as { value: Response[] }).value;
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(world.auth.stats.refreshes).toBe(1);
    // The others left the queue on the news, but for at most one handed the lock before it heard it,
    // which caught up on the channel and took the token.
    expect(locks().granted - grantedBefore).toBeLessThanOrEqual(2);
    noCookiePresentedTwice();
  });

  it('a tab that wakes with an expired token while another tab’s refresh is at the server replays with its answer, without asking the server again', async () => {
    const [a, b] = [tab(), tab()];
    await signedIn([a, b]);
    const refreshes = gateRefreshes();
    expireEveryToken();
    const refreshing = a.refresh();
    await refreshes.atServer; // A holds the lock, its refresh at the server
    const requests = vi.spyOn(locks(), 'request');
    const grantedBefore = locks().granted;

    const call = b.authFetch(world.echoUrl); // B wakes up: its token is dead, so it needs a new one first
    await lockRequested(requests, 1); // and queues behind A
    refreshes.open();
    const [response] = await Promise.all([call, refreshing]);

    expect(response.status).toBe(200);
    expect(world.auth.stats.refreshes).toBe(1);
    // B left the queue on the news, or its turn came first and it caught up on the channel.
    expect(locks().granted - grantedBefore).toBeLessThanOrEqual(1);
    expect(world.seen.map((seen) => seen.authorization)).toEqual([`Bearer ${await a.getAccessToken()}`]);
    noCookiePresentedTwice();
  });
});

describe('a message lost or late falls back to the lock and the server', () => {
  /** Tabs A and B signed in, B's channel under the test's control. */
  async function twoTabs() {
    const { openedBy, nextOpened } = controlChannels();
    const a = tab();
    const b = tab();
    await a.restore();
    const [channelB] = await openedBy(() => b.restore());
    await a.login(USER);
    await settle();
    presented.length = 0; // the page-load restores may have sent an earlier test's dead cookie
    return { a, b, channelB: channelB!, nextOpened };
  }

  it('late, but in order (WebKit’s background window): the tab handed the lock first catches up on the channel and refreshes nothing', async () => {
    const { a, b, channelB, nextOpened } = await twoTabs();
    const refreshes = gateRefreshes();
    expireAtServer();
    const refreshingA = a.refresh();
    await refreshes.atServer;
    const grantedBefore = locks().granted;
    const requests = vi.spyOn(locks(), 'request');
    const callB = b.authFetch(world.echoUrl); // 401, then B queues for the lock
    await lockRequested(requests, 1);
    // B's window hears everything late, in the order it was said: A's news, then what B says after
    // it is handed the lock. B's second channel, opened in its turn, is held the same way.
    channelB.mode = 'hold';
    const opening = nextOpened();
    refreshes.open();
    const echoB = await opening;
    echoB.mode = 'hold';
    await vi.waitFor(() => expect(echoB.held).toHaveLength(1)); // B's own message, behind A's news
    channelB.release();
    echoB.release();

    const [response] = await Promise.all([callB, refreshingA]);

    expect(response.status).toBe(200);
    expect(world.auth.stats.refreshes).toBe(1);
    expect(locks().granted - grantedBefore).toBe(1); // B's turn came before A's news: it took A's token, not the server's
    noCookiePresentedTwice();
    expect(world.seen.at(-1)?.authorization).toBe(`Bearer ${await a.getAccessToken()}`);
  });

  it('lost: the tab that missed it refreshes at the server after the other, with the rotated cookie', async () => {
    const { a, b, channelB } = await twoTabs();
    const before = { ...world.auth.stats };
    const refreshes = gateRefreshes();
    expireAtServer();
    const refreshingA = a.refresh();
    await refreshes.atServer;
    channelB.mode = 'lose';
    const requests = vi.spyOn(locks(), 'request');
    const callB = b.authFetch(world.echoUrl); // 401, then B queues for the lock
    await lockRequested(requests, 1);
    refreshes.open();

    const [response] = await Promise.all([callB, refreshingA]);

    expect(response.status).toBe(200);
    expect(world.auth.stats.refreshes - before.refreshes).toBe(2); // B could not know: it asked the server, after A
    expect(world.auth.stats.rejectedRefreshes - before.rejectedRefreshes).toBe(0);
    noCookiePresentedTwice();
    for (const t of [a, b]) expect(t.getState().status).toBe('authenticated');
  });

  it('late: a message that comes after the tab refreshed itself leaves it a working token', async () => {
    const { a, b, channelB } = await twoTabs();
    expireAtServer();
    channelB.mode = 'hold';
    await a.refresh();
    const response = await b.authFetch(world.echoUrl); // 401; nothing heard, so B refreshes
    channelB.release(); // A's message arrives now
    await settle();

    expect(response.status).toBe(200);
    expect(world.auth.stats.refreshes).toBe(2);
    noCookiePresentedTwice();
    expect((await b.authFetch(world.echoUrl)).status).toBe(200);
  });

  it.each(['heard', 'lost'] as const)(
    'a login as another account while another tab waits to refresh (its message %s): that tab replays nothing in the new account',
    async (message) => {
      const { a, b, channelB } = await twoTabs();
      const oldToken = await b.getAccessToken();
      const refreshesBefore = world.auth.stats.refreshes;
      const logins = world.hold(`${API}/auth/login`);
      expireAtServer();
      const login = a.login(OTHER_USER); // holds the lock
      await logins.atServer;
      if (message === 'lost') channelB.mode = 'lose';
      const requests = vi.spyOn(locks(), 'request');
      const callB = b.authFetch(`${world.echoUrl}?tab=b`); // 401, then B queues behind the login
      await lockRequested(requests, 1);
      logins.open();

      const [response] = await Promise.all([callB, login]);

      expect(response.status).toBe(401); // its own 401: the session it was sent in is over
      const fromB = world.seen.filter((seen) => seen.url.endsWith('?tab=b'));
      expect(fromB.map((seen) => seen.authorization)).toEqual([`Bearer ${oldToken}`]);
      expect(b.getState()).toMatchObject({ status: 'authenticated', user: { email: OTHER_USER.email } });
      // Heard: B learns of the new session from the login itself. Lost: its refresh, with the login's cookie, tells it.
      expect(world.auth.stats.refreshes - refreshesBefore).toBe(message === 'heard' ? 0 : 1);
      noCookiePresentedTwice();
    },
  );
});

describe('a tab frozen or closed while it holds the lock', () => {
  it('the first tab goes ahead after the escape (2 × timeout + 1 s); one queued behind takes its answer and refreshes nothing', async () => {
    const timeout = 1_000; // the refresh held at the server must not time out on a loaded machine
    const escapes: string[] = [];
    const watched = (name: string) =>
      world.client({ crossTab: true, timeout, debug: ({ message }) => void (message === 'lock timeout' && escapes.push(name)) });
    const [a, b] = [watched('a'), watched('b')];
    await signedIn([a, b]);
    void navigator.locks.request(LOCK, {}, () => new Promise(() => {})); // a frozen tab's lock, never released
    const refreshes = gateRefreshes();
    const requests = vi.spyOn(locks(), 'request');
    expireEveryToken();
    const started = performance.now();
    const callA = a.authFetch(world.echoUrl);
    await refreshes.atServer; // A waited out the frozen tab and went ahead
    const escapedAfter = performance.now() - started;
    const callB = b.authFetch(world.echoUrl); // queued behind the frozen tab, with its own escape to come
    await lockRequested(requests, 2);
    refreshes.open();

    const outcome = await outcomeWithin(Promise.all([callA, callB]));

    expect(escapedAfter).toBeGreaterThanOrEqual(2 * timeout + 1000 - 5); // not before the escape
    expect(outcome).not.toBe('hang');
    expect((outcome as { value: Response[] }).value.map((r) => r.status)).toEqual([200, 200]);
    expect(world.auth.stats.refreshes).toBe(1);
    expect(escapes).toEqual(['a']); // B had its token before its own escape came
    noCookiePresentedTwice();
  });
});
