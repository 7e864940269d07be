import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_USER } from '../../examples/server/index.mjs';
import { describeEngine, type Tab } from './engines';
import { startHarness, stats, type Harness } from './harness';

// Several tabs of one browser: one refresh at the server, and logout everywhere at once.
describeEngine('tabs of one browser', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness?.close());

  async function threeSignedInTabs(): Promise<Tab[]> {
    const tabs = [await harness.openTab(), await harness.openTab(), await harness.openTab()];
    await tabs[0]!.evaluate((user) => window.tk.auth.login(user), { email: DEMO_USER.email, password: DEMO_USER.password });
    for (const tab of tabs) await tab.waitFor(() => window.tk.auth.getState().status === 'authenticated');
    return tabs;
  }

  it('three tabs with expired tokens calling authFetch at once cause one refresh and no reuse', async () => {
    const tabs = await threeSignedInTabs();
    const before = await stats(harness);
    // Every tab's clock jumps past expiry, as after a laptop wakes up.
    await Promise.all(tabs.map((tab) => tab.evaluate(() => {
      const realNow = Date.now;
      Date.now = () => realNow() + 3_600_000;
    })));

    const results = await Promise.all(
      tabs.map((tab) => tab.evaluate(async () => (await window.tk.auth.authFetch('/api/me')).status)),
    );

    const after = await stats(harness);
    console.info(`three-tab refresh: refreshes=${after.refreshes - before.refreshes} reuseDetected=${after.reuseDetected - before.reuseDetected}`);
    expect(results).toEqual([200, 200, 200]);
    expect(after.refreshes - before.refreshes).toBe(1);
    expect(after.reuseDetected - before.reuseDetected).toBe(0);
    expect(after.rejectedRefreshes - before.rejectedRefreshes).toBe(0);
    const tokens = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.tk.auth.getAccessToken())));
    expect(new Set(tokens).size).toBe(1);
    for (const tab of tabs) await tab.close();
  });

  it('three tabs whose tokens the server refuses share one refresh after their 401s', async () => {
    const tabs = await threeSignedInTabs();
    const token = await tabs[0]!.evaluate(() => window.tk.auth.getAccessToken());
    await fetch(`${harness.app.url}/api/expire-access-tokens`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    const before = await stats(harness);

    const results = await Promise.all(
      tabs.map((tab) => tab.evaluate(async () => (await window.tk.auth.authFetch('/api/me')).status)),
    );

    const after = await stats(harness);
    expect(results).toEqual([200, 200, 200]);
    expect(after.refreshes - before.refreshes).toBe(1);
    expect(after.reuseDetected - before.reuseDetected).toBe(0);
    for (const tab of tabs) await tab.close();
  });

  it('logout in one tab turns the others anonymous with reason remote', async () => {
    const tabs = await threeSignedInTabs();
    await tabs[1]!.evaluate(() => window.tk.auth.logout());
    for (const tab of tabs) await tab.waitFor(() => window.tk.auth.getState().status === 'anonymous');
    const reasons = await Promise.all(
      tabs.map((tab) => tab.evaluate(() => window.tk.log.filter((e) => e['event'] === 'logout').map((e) => e['reason']))),
    );
    expect(reasons).toEqual([['remote'], ['user'], ['remote']]);
    for (const tab of tabs) await tab.close();
  });
});
