import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER, type RunningServer } from '../../examples/server/index.mjs';
import { buildDemo, startDemo } from '../../examples/start.mjs';
import { launchChromium } from './harness';

// The demo that `npm start` serves, built the same way (examples/start.mjs), driven like a user would.
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
const pathOf = (page: Page) => new URL(page.url()).pathname;
const hasText = (locator: Locator, text: string) => expect.poll(() => locator.textContent(), { timeout: 10_000 }).toBe(text);

/** A tab that records uncaught page errors. */
async function openTab(context: BrowserContext, path: string) {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${demo.url}${path}`);
  return { page, errors };
}

async function signIn(page: Page) {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(DEMO_USER.email);
  await page.getByLabel('Password').fill(DEMO_USER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await hasText(page.getByTestId('me-email'), DEMO_USER.email);
}

describe('the npm start demo', () => {
  it('React: signs in, shows /api/me, refreshes silently after the token is expired, and signs out every tab', async () => {
    const context = await browser.newContext({ viewport: { width: 820, height: 900 } });
    const { page, errors } = await openTab(context, '/');

    // Signed out: the app sends us to its login page.
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(pathOf(page)).toBe('/login');
    await signIn(page);
    expect(pathOf(page)).toBe('/');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Hello, ${DEMO_USER.name}`);
    expect(await page.getByTestId('time-left').textContent()).toMatch(/^\d+ s$/);

    // The server stops accepting the access token; the next call is a 401, one refresh, one replay.
    const log = page.getByTestId('event-log');
    await page.getByRole('button', { name: 'Expire access token now' }).click();
    await log.getByText('POST /api/expire-access-tokens → 204').waitFor();
    const before = await stats();
    await page.getByRole('button', { name: 'Call /api/me' }).click();
    await expect.poll(() => log.getByText('GET /api/me → 200').count(), { timeout: 10_000 }).toBe(2);
    const after = await stats();
    expect(after.refreshes - before.refreshes).toBe(1);
    expect(after.meRequests - before.meRequests).toBe(2); // the 401, then the replay
    expect(after.rejectedRefreshes - before.rejectedRefreshes).toBe(0);
    expect(await page.getByTestId('me-email').textContent()).toBe(DEMO_USER.email);
    expect(await log.locator('.tag.refresh').count()).toBe(1);
    await page.screenshot({ path: join(results, 'demo-react.png'), fullPage: true });

    // A second tab restores the session from the cookie; logging out in the first signs out both.
    const second = await openTab(context, '/');
    await hasText(second.page.getByTestId('me-email'), DEMO_USER.email);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await second.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(pathOf(second.page)).toBe('/login');
    expect(await second.page.locator('.notice').textContent()).toBe('You signed out in another tab.');
    expect([...errors, ...second.errors]).toEqual([]);
    await context.close();
  });

  it('Vue at /vue/: a deep link gets the Vue app, which signs in and shows /api/me', async () => {
    const context = await browser.newContext({ viewport: { width: 820, height: 900 } });
    const { page, errors } = await openTab(context, '/vue/settings');

    expect(await page.title()).toBe('tokenkeeper · Vue demo');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(pathOf(page)).toBe('/vue/login');
    await signIn(page);
    expect(pathOf(page)).toBe('/vue/');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(`Hello, ${DEMO_USER.name}`);
    await page.getByTestId('event-log').getByText('GET /api/me → 200').waitFor();
    await page.screenshot({ path: join(results, 'demo-vue.png'), fullPage: true });

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(pathOf(page)).toBe('/vue/login');
    expect(errors).toEqual([]);
    await context.close();
  });
});
