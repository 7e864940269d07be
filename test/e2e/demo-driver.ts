import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_USER, type RunningServer, type StartServerOptions } from '../../examples/server/index.mjs';
import { buildDemo, startDemo } from '../../examples/start.mjs';
import { launchChromium } from './harness';

// Drives the demos that `npm start` serves (built the same way, examples/start.mjs) as a user would:
// React at /, Vue at /vue/, through the same story, so the two cannot drift apart.

export const DEMOS = [
  { name: 'React', base: '' },
  { name: 'Vue', base: '/vue' },
] as const;
export type Demo = (typeof DEMOS)[number];

export const poll = { timeout: 10_000 };
export const hasText = (locator: Locator, text: string) => expect.poll(() => locator.textContent(), poll).toBe(text);

/** Builds both demos and starts Chromium; each test then starts its own demo server. */
export async function prepareDemos(): Promise<Browser> {
  await buildDemo({ log: () => {} });
  return launchChromium();
}

export interface DemoSite {
  server: RunningServer;
  stats(): Promise<RunningServer['stats']>;
  /** A tab of `context` on `path` of this demo; its uncaught errors land in `errors`. */
  open(context: BrowserContext, path: string): Promise<Page>;
  /** Uncaught page errors so far, as "<demo>: <message>". */
  errors: string[];
  close(): Promise<void>;
}

/** A demo server of its own (its own users, sessions and counters) for one demo of {@link DEMOS}. */
export async function startDemoSite({ name, base }: Demo, options: Omit<StartServerOptions, 'staticDir' | 'port'> = {}): Promise<DemoSite> {
  const server = await startDemo({ port: 0, ...options });
  const errors: string[] = [];
  return {
    server,
    errors,
    stats: async () => (await (await fetch(`${server.url}/__stats`)).json()) as RunningServer['stats'],
    async open(context, path) {
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(`${name}: ${error.message}`));
      await page.goto(`${server.url}${base}${path}`);
      return page;
    },
    close: () => server.close(),
  };
}

/** Fills the login form and submits it. */
export async function signIn(page: Page, user: { email: string; password: string } = DEMO_USER) {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Waits for the account page, with the user `/api/me` answered (a Playwright wait: also fine in concurrent tests). */
export const accountShown = (page: Page) =>
  page.getByTestId('me-email').filter({ hasText: new RegExp(`^${DEMO_USER.email.replace(/\./g, '\\.')}$`) }).waitFor(poll);

/** The event log's lines as "<tag> <text>" (without the time), oldest first. */
export const lines = async (page: Page) =>
  (
    await page
      .getByTestId('event-log')
      .locator('li')
      .evaluateAll((items) => items.map((li) => [...li.children].slice(1).map((part) => part.textContent).join(' ')))
  ).reverse();
