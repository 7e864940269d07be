import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountShown, DEMOS, heading, lines, poll, prepareDemos, signIn, startDemoSite, type DemoSite } from './demo-driver';
import { describeEngine, type Browser, type Tab } from './engines';

// The demos' idle timeout (tokenkeeper/idle, `?idle=<seconds>`; the warning comes halfway) across
// two tabs of one browser: activity in one keeps the other signed in; without any, both count
// down, then both sign out with reason idle, and the server hears of it once.

const IDLE_S = 12;
const WARNING_S = IDLE_S / 2;
/**
 * The person's pace: slower than the warning, so every tab warns between two clicks. Tabs share
 * activity at most every 5 s (a click's trailing events are told at the end of the 5 s after it),
 * so the others may hear of a click up to 5 s late: 7 + 5 s stays under the 12 s timeout.
 */
const MOVE_EVERY_MS = 7_000;
const NOTICE = 'You were signed out after a while without activity.';
const ACTIVE = 'idle activity again: staying signed in';
const banner = { testId: 'idle-banner' };

const count = async (tab: Tab, line: string) => (await lines(tab)).filter((text) => text === line).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEngine('the demos: idle timeout across tabs', () => {
  let browser: Browser;
  beforeAll(async () => void (browser = await prepareDemos()), 120_000);
  afterAll(() => browser?.close());

  describe.each(DEMOS)('the $name demo: idle timeout', (demo) => {
    let site: DemoSite;
    beforeAll(async () => void (site = await startDemoSite(demo, browser, { accessTokenTtl: 600 })));
    afterAll(() => site?.close());

    it('keeps both tabs signed in while someone is active in one; then both sign out with reason idle, the server told once', { timeout: 60_000 }, async () => {
      const a = await site.open(`/account?idle=${IDLE_S}`);
      await signIn(a);
      await accountShown(a);
      const b = await site.open(`/account?idle=${IDLE_S}`);
      await accountShown(b);
      const bSignedIn = Date.now();

      // Someone at tab A only, three clicks over 14 s, longer than the timeout: tab B stays signed in.
      // Between two clicks both tabs warn, and the next click cancels the warning in both.
      for (let move = 0; move < 3; move++) {
        if (move > 0) await sleep(MOVE_EVERY_MS); // the person's pace
        await a.click(heading('Signed-in devices')); // a click on text: activity, and nothing else
      }
      expect(Date.now() - bSignedIn).toBeGreaterThan(IDLE_S * 1000);
      for (const tab of [a, b]) {
        await expect.poll(() => count(tab, ACTIVE), poll).toBe(2);
        await expect.poll(() => tab.count(banner), poll).toBe(0);
        await accountShown(tab);
      }
      const before = await site.stats();

      // Nobody anywhere: both tabs count down, then both sign out.
      for (const tab of [a, b]) {
        await tab.waitForElement(banner, { timeout: WARNING_S * 1000 + 5_000 });
        expect((await tab.text(banner))?.trim()).toMatch(new RegExp(`^Signing you out in [1-${WARNING_S}] s`));
        await expect.poll(async () => (await lines(tab)).at(-1), poll).toMatch(/^idle no activity in any tab: signing out at \d\d:\d\d:\d\d unless someone moves$/);
      }
      for (const tab of [a, b]) {
        await tab.waitForElement(heading('Sign in'), { timeout: WARNING_S * 1000 + 5_000 });
        expect(await tab.text({ css: '.notice' })).toBe(NOTICE);
      }
      await expect.poll(async () => (await site.stats()).logouts - before.logouts, poll).toBe(1);
      // One call for both tabs: give a second one the time it would take to arrive.
      await sleep(1_000);
      expect((await site.stats()).logouts - before.logouts).toBe(1);
      expect(await site.errors()).toEqual([]);
    });
  });
});
