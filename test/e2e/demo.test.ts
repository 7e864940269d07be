import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../examples/server/index.mjs';
import { accountShown, button, DEMOS, hasText, heading, lines, poll, prepareDemos, signIn, startDemoSite, type DemoSite } from './demo-driver';
import { describeEngine, engine, type Browser, type Tab } from './engines';

// The demos that `npm start` serves, built the same way (examples/start.mjs) and on plain
// http://localhost as it serves them, driven as a user would: React at /, Vue at /vue/, through
// the same story, so the two cannot drift apart.
const results = fileURLToPath(new URL('../../test-results/', import.meta.url));

describeEngine('the demos', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await prepareDemos();
    await mkdir(results, { recursive: true });
  }, 120_000);
  afterAll(() => browser?.close());

  describe.each(DEMOS)('the $name demo', (demo) => {
    const { name, base } = demo;
    let site: DemoSite;
    beforeAll(async () => {
      // Long-lived tokens: no timed refresh during the test, so every refresh counted is one the test caused.
      site = await startDemoSite(demo, browser, { accessTokenTtl: 600 });
    });
    afterAll(() => site?.close());

    const where = async (tab: Tab) => {
      const url = new URL(await tab.url());
      return { path: url.pathname.slice(base.length), returnTo: url.searchParams.get('returnTo') };
    };
    const userShown = async (tab: Tab) => JSON.parse((await tab.text({ testId: 'user' })) ?? 'null') as Record<string, unknown>;

    let page: Tab;
    let userBefore: Record<string, unknown>;

    it('sends a signed-out visitor of a guarded page to log in, and back to that page', async () => {
      page = await site.open('/account?tab=devices');
      await page.waitForElement(heading('Sign in'));
      expect(await where(page)).toEqual({ path: '/login', returnTo: '/account?tab=devices' });

      await signIn(page);
      await accountShown(page);
      expect(await where(page)).toEqual({ path: '/account', returnTo: null });
      expect(new URL(await page.url()).searchParams.get('tab')).toBe('devices');
      expect(await page.text({ role: 'heading', level: 1 })).toBe(`Hello, ${DEMO_USER.name}`);
      // The log kept the page load's restore, which found no session, then the login.
      const story = await lines(page);
      expect(story.slice(0, 2)).toEqual([
        'restore page load: no session to restore (POST /auth/refresh-token → 401)',
        'login signed in as demo@example.com',
      ]);
      userBefore = await userShown(page);
      expect(userBefore).toMatchObject({ email: DEMO_USER.email, name: DEMO_USER.name });
    });

    it('keeps the same user after a reload, with one refresh labelled as the page-load restore', async () => {
      const before = await site.stats();
      await page.reload();
      await accountShown(page);
      expect(await userShown(page)).toEqual(userBefore); // the same keys and values as login gave
      expect(Object.keys(await userShown(page)).sort()).toEqual(Object.keys(userBefore).sort());
      const after = await site.stats();
      expect(after.refreshes - before.refreshes).toBe(1);
      expect(after.rejectedRefreshes - before.rejectedRefreshes).toBe(0);
      expect(await lines(page)).toEqual([
        'restore page load: session restored from the refresh cookie (POST /auth/refresh-token → 200)',
        'api GET /api/me → 200',
      ]);
    });

    it('tells the 401 → refresh → replay story when the server refuses the access token', async () => {
      await page.click(button('Expire access token now'));
      await expect.poll(async () => (await lines(page)).at(-1), poll).toBe('api POST /api/expire-access-tokens → 204');
      const before = await site.stats();
      const logged = (await lines(page)).length;

      await page.click(button('Call /api/me'));
      await expect.poll(async () => (await lines(page)).length, poll).toBe(logged + 3);
      expect((await lines(page)).slice(logged)).toEqual([
        'api GET /api/me → 401: the access token was refused',
        'refresh GET /api/me was refused, so: refresh with the cookie (POST /auth/refresh-token → 200)',
        'api GET /api/me → 200, replayed with the new access token',
      ]);
      const after = await site.stats();
      expect(after.refreshes - before.refreshes).toBe(1);
      expect(after.meRequests - before.meRequests).toBe(2);
      await page.screenshot(join(results, `demo-${name.toLowerCase()}-${engine.name}.png`));
    });

    it('follows a logout in another tab to the login page, and its notice clears after signing in', async () => {
      const other = await site.open('/account');
      await accountShown(other);
      await other.click(button('Log out'));
      await other.waitForElement(heading('Sign in'));
      expect(await other.text({ css: '.notice' })).toBe('You signed out.');

      await page.waitForElement(heading('Sign in'));
      expect(await where(page)).toEqual({ path: '/login', returnTo: '/account?tab=devices' });
      expect(await page.text({ css: '.notice' })).toBe('You signed out in another tab.');
      await signIn(page);
      await accountShown(page);
      expect((await where(page)).path).toBe('/account');
      // Both tabs signed in again; the notice of how the last session ended is gone in both.
      await accountShown(other);
      await page.click(button('Log out'));
      await page.waitForElement(heading('Sign in'));
      expect(await page.text({ css: '.notice' })).toBe('You signed out.');
      await other.close();
    });

    it('shows a failed restore with a retry instead of a blank page, and restores once the server is back', async () => {
      await signIn(page);
      await accountShown(page);
      // The auth server answers 503, then does not answer at all.
      const answer503 = site.tap.intercept('/auth/refresh-token', { status: 503 });
      await page.reload();
      const alertText = { css: '[role="alert"] p' } as const;
      await hasText(page, alertText, 'Could not reach the sign-in server (server).');
      answer503();
      const drop = site.tap.intercept('/auth/refresh-token', 'drop');
      await page.click(button('Try again'));
      await hasText(page, alertText, 'Could not reach the sign-in server (network).');

      const before = await site.stats();
      drop();
      await page.click(button('Try again'));
      await accountShown(page); // the session survived the outage
      expect(await userShown(page)).toEqual(userBefore);
      expect(await page.count({ role: 'alert' })).toBe(0); // the failure notice cleared
      expect((await site.stats()).refreshes - before.refreshes).toBe(1);
      expect(await lines(page)).toEqual([
        'error page load: could not restore the session (POST /auth/refresh-token → 503)',
        'error page load: could not restore the session (POST /auth/refresh-token → no answer)',
        'restore page load: session restored from the refresh cookie (POST /auth/refresh-token → 200)',
        'api GET /api/me → 200',
      ]);
      expect(await site.errors()).toEqual([]);
    });
  });
});
