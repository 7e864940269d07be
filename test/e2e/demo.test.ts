import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER, type RunningServer } from '../../examples/server/index.mjs';
import { buildDemo, startDemo } from '../../examples/start.mjs';
import { accountShown, DEMOS, hasText, lines, poll, signIn } from './demo-driver';
import { launchChromium } from './harness';

// The demos that `npm start` serves, built the same way (examples/start.mjs), driven as a user
// would: React at /, Vue at /vue/, through the same story, so the two cannot drift apart.
const results = fileURLToPath(new URL('../../test-results/', import.meta.url));
let demo: RunningServer;
let browser: Browser;

beforeAll(async () => {
  await buildDemo({ log: () => {} });
  // Long-lived tokens: no timed refresh during the test, so every refresh counted is one the test caused.
  demo = await startDemo({ port: 0, accessTokenTtl: 600 });
  browser = await launchChromium();
  await mkdir(results, { recursive: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

const stats = async () => (await (await fetch(`${demo.url}/__stats`)).json()) as RunningServer['stats'];

describe.each(DEMOS)('the $name demo', ({ name, base }) => {
  let context: BrowserContext;
  const errors: string[] = [];
  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 820, height: 900 } });
  });
  afterAll(() => context?.close());

  /** A tab that records uncaught page errors. */
  async function openTab(path: string) {
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(`${name}: ${error.message}`));
    await page.goto(`${demo.url}${base}${path}`);
    return page;
  }
  const where = (page: Page) => {
    const url = new URL(page.url());
    return { path: url.pathname.slice(base.length), returnTo: url.searchParams.get('returnTo') };
  };
  const userShown = async (page: Page) => JSON.parse((await page.getByTestId('user').textContent()) ?? 'null') as Record<string, unknown>;

  let page: Page;
  let userBefore: Record<string, unknown>;

  it('sends a signed-out visitor of a guarded page to log in, and back to that page', async () => {
    page = await openTab('/account?tab=devices');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(where(page)).toEqual({ path: '/login', returnTo: '/account?tab=devices' });

    await signIn(page);
    await accountShown(page);
    expect(where(page)).toEqual({ path: '/account', returnTo: null });
    expect(new URL(page.url()).searchParams.get('tab')).toBe('devices');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Hello, ${DEMO_USER.name}`);
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
    const before = await stats();
    await page.reload();
    await accountShown(page);
    expect(await userShown(page)).toEqual(userBefore); // the same keys and values as login gave
    expect(Object.keys(await userShown(page)).sort()).toEqual(Object.keys(userBefore).sort());
    const after = await stats();
    expect(after.refreshes - before.refreshes).toBe(1);
    expect(after.rejectedRefreshes - before.rejectedRefreshes).toBe(0);
    expect(await lines(page)).toEqual([
      'restore page load: session restored from the refresh cookie (POST /auth/refresh-token → 200)',
      'api GET /api/me → 200',
    ]);
  });

  it('tells the 401 → refresh → replay story when the server refuses the access token', async () => {
    await page.getByRole('button', { name: 'Expire access token now' }).click();
    await expect.poll(async () => (await lines(page)).at(-1), poll).toBe('api POST /api/expire-access-tokens → 204');
    const before = await stats();
    const logged = (await lines(page)).length;

    await page.getByRole('button', { name: 'Call /api/me' }).click();
    await expect.poll(async () => (await lines(page)).length, poll).toBe(logged + 3);
    expect((await lines(page)).slice(logged)).toEqual([
      'api GET /api/me → 401: the access token was refused',
      'refresh GET /api/me was refused, so: refresh with the cookie (POST /auth/refresh-token → 200)',
      'api GET /api/me → 200, replayed with the new access token',
    ]);
    const after = await stats();
    expect(after.refreshes - before.refreshes).toBe(1);
    expect(after.meRequests - before.meRequests).toBe(2);
    await page.screenshot({ path: join(results, `demo-${name.toLowerCase()}.png`), fullPage: true });
  });

  it('follows a logout in another tab to the login page, and its notice clears after signing in', async () => {
    const other = await openTab('/account');
    await accountShown(other);
    await other.getByRole('button', { name: 'Log out' }).click();
    await other.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await other.locator('.notice').textContent()).toBe('You signed out.');

    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(where(page)).toEqual({ path: '/login', returnTo: '/account?tab=devices' });
    expect(await page.locator('.notice').textContent()).toBe('You signed out in another tab.');
    await signIn(page);
    await accountShown(page);
    expect(where(page).path).toBe('/account');
    // Both tabs signed in again; the notice of how the last session ended is gone in both.
    await accountShown(other);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.locator('.notice').textContent()).toBe('You signed out.');
    await other.close();
  });

  it('shows a failed restore with a retry instead of a blank page, and restores once the server is back', async () => {
    await signIn(page);
    await accountShown(page);
    // The auth server answers 503, then does not answer at all.
    await page.route('**/auth/refresh-token', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{}' }));
    await page.reload();
    const alert = page.getByRole('alert');
    await hasText(alert.locator('p'), 'Could not reach the sign-in server (server).');
    await page.unroute('**/auth/refresh-token');
    await page.route('**/auth/refresh-token', (route) => route.abort('connectionrefused'));
    await alert.getByRole('button', { name: 'Try again' }).click();
    await hasText(alert.locator('p'), 'Could not reach the sign-in server (network).');

    const before = await stats();
    await page.unroute('**/auth/refresh-token');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await accountShown(page); // the session survived the outage
    expect(await userShown(page)).toEqual(userBefore);
    expect(await page.getByRole('alert').count()).toBe(0); // the failure notice cleared
    expect((await stats()).refreshes - before.refreshes).toBe(1);
    expect(await lines(page)).toEqual([
      'error page load: could not restore the session (POST /auth/refresh-token → 503)',
      'error page load: could not restore the session (POST /auth/refresh-token → no answer)',
      'restore page load: session restored from the refresh cookie (POST /auth/refresh-token → 200)',
      'api GET /api/me → 200',
    ]);
    expect(errors).toEqual([]);
  });
});
