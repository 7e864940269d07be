import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountShown, DEMOS, hasText, lines, poll, prepareDemos, signIn, startDemoSite, type DemoSite } from './demo-driver';

// The demos' devices list: two browsers (two cookie jars) signed in as one user; the first signs
// the second out, which ends at its next refresh while the first stays signed in.
let browser: Browser;
beforeAll(async () => void (browser = await prepareDemos()), 120_000);
afterAll(() => browser?.close());

/** Seconds an access token lives: each tab refreshes every 2 s or so, so "its next refresh" comes soon. */
const ACCESS_TOKEN_TTL = 4;

describe.each(DEMOS)('the $name demo: signed-in devices', (demo) => {
  let site: DemoSite;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => void (site = await startDemoSite(demo, { accessTokenTtl: ACCESS_TOKEN_TTL })));
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await site?.close();
  });

  /** A browser of its own (its own cookies), signed in on the account page. */
  async function signedInDevice(): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await site.open(context, '/account');
    await signIn(page);
    await accountShown(page);
    return page;
  }
  const rows = (page: Page) => page.getByTestId('device');
  /** The list after a click on "Refresh list": how many rows, and which is this device. */
  async function listed(page: Page) {
    await page.getByRole('button', { name: 'Refresh list' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Refresh list' }).isEnabled(), poll).toBe(true);
    return rows(page).evaluateAll((items) => items.map((item) => item.getAttribute('data-current')));
  }

  it('lists both devices, marks this one, and signs the other out: it ends at its next refresh, this one stays', async () => {
    const a = await signedInDevice();
    const b = await signedInDevice();
    expect((await listed(a)).sort()).toEqual(['false', 'true']);
    await hasText(rows(a).and(a.locator('[data-current="true"]')).locator('.badge'), 'This device');
    expect(await rows(a).locator('.badge').count()).toBe(1);
    const before = await site.stats();

    await rows(a).and(a.locator('[data-current="false"]')).getByRole('button', { name: 'Sign out this device' }).click();
    await expect.poll(() => rows(a).count(), poll).toBe(1);
    expect(await rows(a).getAttribute('data-current')).toBe('true');
    expect((await lines(a)).at(-1)).toBe('device signed out a device (DELETE /auth/sessions/:id → 204)');

    // B still holds an access token; its next refresh is refused, and it signs out with refresh_failed.
    await b.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: ACCESS_TOKEN_TTL * 1000 + 5_000 });
    await hasText(b.locator('.notice'), 'Your session ended (it expired, or this device was signed out). Please sign in again.');
    const after = await site.stats();
    expect(after.rejectedRefreshes - before.rejectedRefreshes).toBe(1);
    expect(after.reuseDetected - before.reuseDetected).toBe(0);

    // A refreshes after that and is still signed in, with one device listed.
    const refreshed = (await site.stats()).refreshes;
    await expect.poll(async () => (await site.stats()).refreshes, poll).toBeGreaterThan(refreshed);
    await accountShown(a);
    expect(await listed(a)).toEqual(['true']);
    expect(site.errors).toEqual([]);
  });
});
