import { expect } from 'vitest';
import { DEMO_USER, type RunningServer, type StartServerOptions } from '../../examples/server/index.mjs';
import { buildDemo, startDemo } from '../../examples/start.mjs';
import { engine, type Browser, type Context, type Tab, type Target } from './engines';
import { startTap, type Tap } from './tap';

// Drives the demos that `npm start` serves (built the same way, examples/start.mjs) as a user would:
// React at /, Vue at /vue/, through the same story, so the two cannot drift apart.

export const DEMOS = [
  { name: 'React', base: '' },
  { name: 'Vue', base: '/vue' },
] as const;
export type Demo = (typeof DEMOS)[number];

export const poll = { timeout: 10_000 };
export const hasText = (tab: Tab, target: Target, text: string) => expect.poll(() => tab.text(target), poll).toBe(text);

/** Builds both demos (unless the run's global setup has) and starts this project's engine. */
export async function prepareDemos(): Promise<Browser> {
  if (!process.env['E2E_DEMO_BUILT']) await buildDemo({ log: () => {} });
  return engine.launch();
}

export interface DemoSite {
  server: RunningServer;
  /** The demo as the browser reaches it (`url`: http://localhost:<port>, plain http, as `npm start`). */
  tap: Tap;
  stats(): Promise<RunningServer['stats']>;
  /** A tab on `path` of this demo, in the site's own browser context. */
  open(path: string): Promise<Tab>;
  /**
   * A tab on `path` of this demo in a browser context of its own: another device, with its own
   * cookie jar. Closed with the site.
   */
  openOnAnotherDevice(path: string): Promise<Tab>;
  /** Uncaught page errors of every tab opened so far, as "<demo>: <message>". */
  errors(): Promise<string[]>;
  /** Closes the context, then the server. */
  close(): Promise<void>;
}

/**
 * A demo server of its own (its own users, sessions and counters) for one demo of {@link DEMOS},
 * and a browser context of `browser` to visit it in.
 */
export async function startDemoSite(
  { name, base }: Demo,
  browser: Browser,
  options: Omit<StartServerOptions, 'staticDir' | 'port'> = {},
): Promise<DemoSite> {
  const server = await startDemo({ port: 0, ...options });
  const tap = await startTap(server.port);
  const context = await browser.newContext();
  const devices: Context[] = [];
  const tabs: Tab[] = [];
  const openIn = async (where: Context, path: string) => {
    const tab = await where.newTab(`${tap.url}${base}${path}`);
    tabs.push(tab);
    return tab;
  };
  return {
    server,
    tap,
    stats: async () => (await (await fetch(`${tap.url}/__stats`)).json()) as RunningServer['stats'],
    open: (path) => openIn(context, path),
    async openOnAnotherDevice(path) {
      const device = await browser.newContext();
      devices.push(device);
      return openIn(device, path);
    },
    errors: async () => (await Promise.all(tabs.map((tab) => tab.errors().catch(() => [])))).flat().map((message) => `${name}: ${message}`),
    close: async () => {
      for (const device of devices) await device.close();
      await context.close();
      await tap.close();
      await server.close();
    },
  };
}

export const heading = (name: string): Target => ({ role: 'heading', name, exact: true });
export const button = (name: string): Target => ({ role: 'button', name, exact: true });

/** Fills the login form and submits it. */
export async function signIn(tab: Tab, user: { email: string; password: string } = DEMO_USER) {
  await tab.waitForElement(heading('Sign in'));
  await tab.fill({ label: 'Email' }, user.email);
  await tab.fill({ label: 'Password' }, user.password);
  await tab.click(button('Sign in'));
}

/** Waits for the account page, with the user `/api/me` answered. */
export const accountShown = (tab: Tab) =>
  tab.waitFor((email) => document.querySelector('[data-testid="me-email"]')?.textContent === email, DEMO_USER.email, poll);

/** The event log's lines as "<tag> <text>" (without the time), oldest first. */
export const lines = (tab: Tab) =>
  tab.evaluate(() =>
    [...document.querySelectorAll('[data-testid="event-log"] li')]
      .map((li) => [...li.children].slice(1).map((part) => part.textContent).join(' '))
      .reverse(),
  );
