import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountShown, button, DEMOS, hasText, heading, lines, poll, prepareDemos, signIn, startDemoSite, type DemoSite } from './demo-driver';
import { describeEngine, type Browser, type Tab } from './engines';

// The demos' devices list (tokenkeeper/sessions): two devices (two browser contexts, two cookie
// jars) signed in as one user; the first signs the second out, which ends at its next refresh
// while the first stays signed in.

/** Seconds an access token lives: each tab refreshes every 2 s or so, so "its next refresh" comes soon. */
const ACCESS_TOKEN_TTL = 4;
const row = (current: boolean) => ({ css: `[data-testid="device"][data-current="${current}"]` });

describeEngine('the demos: signed-in devices', () => {
  let browser: Browser;
  beforeAll(async () => void (browser = await prepareDemos()), 120_000);
  afterAll(() => browser?.close());

  describe.each(DEMOS)('the $name demo: signed-in devices', (demo) => {
    let site: DemoSite;
    beforeAll(async () => void (site = await startDemoSite(demo, browser, { accessTokenTtl: ACCESS_TOKEN_TTL })));
    afterAll(() => site?.close());

    /** Another device of its own (its own cookies), signed in on the account page. */
    async function signedInDevice(): Promise<Tab> {
      const tab = await site.openOnAnotherDevice('/account');
      await signIn(tab);
      await accountShown(tab);
      return tab;
    }
    /** The list after a click on "Refresh list": each row's `data-current`, in order. */
    async function listed(tab: Tab) {
      await tab.click(button('Refresh list'));
      await tab.waitFor(() => [...document.querySelectorAll('button')].find((it) => it.textContent === 'Refresh list')?.disabled === false, undefined, poll);
      return tab.evaluate(() => [...document.querySelectorAll('[data-testid="device"]')].map((item) => item.getAttribute('data-current')));
    }

    it('lists both devices, marks this one, and signs the other out: it ends at its next refresh, this one stays', async () => {
      const a = await signedInDevice();
      const b = await signedInDevice();
      expect((await listed(a)).sort()).toEqual(['false', 'true']);
      expect(await a.text({ css: `${row(true).css} .badge` })).toBe('This device');
      expect(await a.count({ css: '[data-testid="device"] .badge' })).toBe(1);
      const before = await site.stats();

      await a.click({ css: `${row(false).css} button` });
      await expect.poll(() => a.count({ testId: 'device' }), poll).toBe(1);
      expect(await a.count(row(true))).toBe(1);
      // Not the last line: A refreshes every 2 s or so, and its refresh may be logged after the delete.
      await expect.poll(() => lines(a), poll).toContain('device signed out a device (DELETE /auth/sessions/:id → 204)');

      // B still holds an access token; its next refresh is refused, and it signs out with refresh_failed.
      // Its user looks at it: where an engine hides background tabs (Firefox), a hidden tab leaves
      // proactive refreshes to the visible ones, and a click brings a tab to the front.
      await b.click({ role: 'heading', level: 1 });
      await b.waitForElement(heading('Sign in'), { timeout: ACCESS_TOKEN_TTL * 1000 + 5_000 });
      await hasText(b, { css: '.notice' }, 'Your session ended (it expired, or this device was signed out). Please sign in again.');
      const after = await site.stats();
      expect(after.rejectedRefreshes - before.rejectedRefreshes).toBe(1);
      expect(after.reuseDetected - before.reuseDetected).toBe(0);

      // A, back in front, refreshes after that and is still signed in, with one device listed.
      const refreshed = (await site.stats()).refreshes;
      expect(await listed(a)).toEqual(['true']);
      await expect.poll(async () => (await site.stats()).refreshes, poll).toBeGreaterThan(refreshed);
      await accountShown(a);
      expect(await listed(a)).toEqual(['true']);
      expect(await site.errors()).toEqual([]);
    });
  });
});
