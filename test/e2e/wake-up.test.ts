import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_USER } from '../../examples/server/index.mjs';
import { describeEngine, engine, inEngine } from './engines';
import { startHarness, stats, type Harness } from './harness';

// The timed refresh across tabs, left alone as a user leaves them. Engines disagree about which
// tabs are visible (README, "Engines"): Firefox hides every tab but the front one, as a user sees
// them; headless Chromium calls every tab visible; WebKitGTK's tabs here are windows side by side,
// all visible. Whatever they say, the SDK's promise holds: about one refresh per token half-life
// for all the tabs together, no reuse, no wrong logout, every tab on the one current token.
// And a page the user comes back to (the back-forward cache's `pageshow`, or a fresh load where
// an engine keeps no such page) is signed in on a fresh token at once.
const TTL = 2; // seconds: the refresh is due at half of it (refreshMargin never exceeds half the lifetime)

describeEngine('tabs left alone across token lifetimes', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ accessTokenTtl: TTL });
  });
  afterAll(() => harness?.close());

  it('three tabs, whatever their visibility, cost one refresh per half-life together and stay on one session', async () => {
    const tabs = [await harness.openTab(), await harness.openTab(), await harness.openTab()];
    await tabs[0]!.evaluate((user) => window.tk.auth.login(user).then(() => undefined), { email: DEMO_USER.email, password: DEMO_USER.password });
    for (const tab of tabs) await tab.waitFor(() => window.tk.auth.getState().status === 'authenticated');
    const visibility = await Promise.all(tabs.map((tab) => tab.evaluate(() => document.visibilityState)));
    console.info(`${engine.label}: tabs report ${visibility.join(', ')} (oldest first)`);
    expect(visibility).toEqual(inEngine<string[]>({ firefox: ['hidden', 'hidden', 'visible'] }, ['visible', 'visible', 'visible']));
    const before = await stats(harness);

    const waitMs = 2.5 * TTL * 1000; // five half-lives
    await new Promise((resolve) => setTimeout(resolve, waitMs));

    const after = await stats(harness);
    const refreshes = after.refreshes - before.refreshes;
    console.info(`${engine.label}: ${refreshes} refreshes in ${waitMs / 1000} s for 3 tabs (token ${TTL} s)`);
    // One per half-life (5 here), for all three tabs: not one per tab.
    expect(refreshes).toBeGreaterThanOrEqual(3);
    expect(refreshes).toBeLessThanOrEqual(6);
    expect(after.reuseDetected - before.reuseDetected).toBe(0);
    expect(after.rejectedRefreshes - before.rejectedRefreshes).toBe(0);
    const states = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.tk.auth.getState().status)));
    expect(states).toEqual(['authenticated', 'authenticated', 'authenticated']);
    expect(await Promise.all(tabs.map((tab) => tab.evaluate(() => window.tk.log.filter((e) => e['event'] === 'logout').length)))).toEqual([0, 0, 0]);
    // A hidden tab may hold an older token until it is shown; the next call refreshes it or adopts the shared one.
    const calls = await Promise.all(tabs.map((tab) => tab.evaluate(async () => (await window.tk.auth.authFetch('/api/me')).status)));
    expect(calls).toEqual([200, 200, 200]);
    // One session: a refresh (one a second here) may land between two tabs' answers, so compare the
    // session the tokens belong to (their `sid`), not the tokens themselves.
    const tokens = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.tk.auth.getAccessToken())));
    const sessions = tokens.map((token) => (JSON.parse(Buffer.from(token!.split('.')[1]!, 'base64url').toString()) as { sid?: string }).sid);
    expect(sessions[0]).toEqual(expect.any(String));
    expect(new Set(sessions).size).toBe(1);
    for (const tab of tabs) await tab.close();
  });

  it('a tab the user navigates away from and back to, after its token expired, is signed in at once, from the back-forward cache or not', async () => {
    const tab = await harness.openTab();
    await tab.evaluate((user) => window.tk.auth.login(user).then(() => undefined), { email: DEMO_USER.email, password: DEMO_USER.password });
    await tab.evaluate(() => void ((window as { leftAt?: number }).leftAt = Date.now()));
    // The login's Web Lock lingers 50 ms; a page holding a lock is not kept in the back-forward cache.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await tab.goto(`${harness.app.url}/tokenkeeper.iife.js`); // another page of the site
    await new Promise((resolve) => setTimeout(resolve, TTL * 1000 + 500)); // the token expires meanwhile
    const before = await stats(harness);
    await tab.evaluate(() => void setTimeout(() => history.back(), 100)); // after this script has answered
    await tab.waitFor(() => 'tk' in window);
    const cached = await tab.evaluate(() => typeof (window as { leftAt?: number }).leftAt === 'number');
    console.info(`${engine.label}: back-forward cache ${cached ? 'kept the page (pageshow)' : 'not used (a fresh load)'}`);
    // Firefox and WebKit usually keep the page (open BroadcastChannel and all), so the `pageshow`
    // wake-up is what refreshes there; headless Chromium here loads it afresh, and restore() does.
    // Which one an engine takes is its own choice (Firefox now and then declines): either way, below.
    await tab.waitFor(() => window.tk.auth.getState().status === 'authenticated' && window.tk.auth.getState().expiresAt! > Date.now());
    expect(await tab.evaluate(async () => (await window.tk.auth.authFetch('/api/me')).status)).toBe(200);
    const after = await stats(harness);
    expect(after.refreshes - before.refreshes).toBe(1); // the wake-up's (or the load's) one refresh; no 401 replay
    expect(after.rejectedRefreshes - before.rejectedRefreshes).toBe(0);
    expect(after.meRequests - before.meRequests).toBe(1);
    await tab.close();
  });
});
