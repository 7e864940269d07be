import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { accountShown, DEMOS, lines, poll, prepareDemos, signIn, startDemoSite, type Demo } from './demo-driver';

// The demos' idle timeout (`?idle=<seconds>`; the warning comes halfway) across two tabs of one
// browser: activity in one keeps the other signed in; without any, both count down, then both
// sign out with reason idle, and the server hears of it once.
let browser: Browser;
beforeAll(async () => void (browser = await prepareDemos()), 120_000);
afterAll(() => browser?.close());

const IDLE_S = 8;
const WARNING_S = IDLE_S / 2;
/** Tabs share activity at most every 5 s: a person moving this often in one tab is heard by the others every time. */
const MOVE_EVERY_MS = 5_500;
const notice = 'You were signed out after a while without activity.';

/** The banner's text, once it shows. */
const countdown = async (page: Page) => (await page.getByTestId('idle-banner').textContent({ timeout: WARNING_S * 1000 + 5_000 }))?.trim();
const count = async (page: Page, line: string) => (await lines(page)).filter((text) => text === line).length;
const ACTIVE = 'idle activity again: staying signed in';

// The two demos side by side, each on its own server: the test is mostly waiting. Concurrent
// tests take `expect` from their context.
describe.concurrent('the demos: idle timeout across tabs', () => {
  it.for<Demo>(DEMOS)('$name', { timeout: 60_000 }, async (demo, { expect }) => {
    const site = await startDemoSite(demo, { accessTokenTtl: 600 });
    const context = await browser.newContext();
    try {
      const a = await site.open(context, `/account?idle=${IDLE_S}`);
      await signIn(a);
      await accountShown(a);
      const b = await site.open(context, `/account?idle=${IDLE_S}`);
      await accountShown(b);
      const bSignedIn = Date.now();

      // Someone at tab A only, three moves over 11 s, longer than the timeout: tab B stays signed in.
      // Between two moves both tabs warn, and the next move cancels the warning in both.
      for (let move = 0; move < 3; move++) {
        if (move > 0) await new Promise((resolve) => setTimeout(resolve, MOVE_EVERY_MS)); // the person's pace
        await a.mouse.move(10 + move * 10, 10);
      }
      expect(Date.now() - bSignedIn).toBeGreaterThan(IDLE_S * 1000);
      for (const tab of [a, b]) {
        await expect.poll(() => count(tab, ACTIVE), poll).toBe(2);
        await expect.poll(() => tab.getByTestId('idle-banner').count(), poll).toBe(0);
        await accountShown(tab);
      }
      const before = await site.stats();

      // Nobody anywhere: both tabs count down, then both sign out.
      for (const tab of [a, b]) expect(await countdown(tab)).toMatch(new RegExp(`^Signing you out in [1-${WARNING_S}] s`));
      for (const tab of [a, b]) expect((await lines(tab)).at(-1)).toMatch(/^idle no activity in any tab: signing out at \d\d:\d\d:\d\d unless someone moves$/);
      for (const tab of [a, b]) {
        await tab.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: WARNING_S * 1000 + 5_000 });
        expect(await tab.locator('.notice').textContent()).toBe(notice);
      }
      await expect.poll(async () => (await site.stats()).logouts - before.logouts, poll).toBe(1);
      // One call for both tabs: give a second one the time it would take to arrive.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await site.stats()).logouts - before.logouts).toBe(1);
      expect(site.errors).toEqual([]);
    } finally {
      await context.close();
      await site.close();
    }
  });
});
