import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer as createViteServer } from 'vite';
import { DEMO_USER, startServer, type RunningServer } from '../../examples/server/index.mjs';
import { startDemo } from '../../examples/start.mjs';
import { accountShown, button, heading, prepareDemos, signIn } from './demo-driver';
import { describeEngine, type Browser } from './engines';

// Issue 19: development in every engine, Safari's included, on plain http://localhost: `npm start`
// (examples/start.mjs) and docs/development.md's "The simplest set-up: a Vite proxy" (a Vite dev server proxying
// /auth and /api to the example server). WebKit drops a Secure cookie set over http://localhost,
// so the example server leaves Secure off for pages on plain-http loopback hosts
// (examples/server/dev-cookies.mjs), and says so once in its log.
describeEngine('development on plain http://localhost', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await prepareDemos();
  }, 120_000);
  afterAll(() => browser?.close());

  /** Signs in, reloads, opens a second tab and logs out there: both tabs end signed out. */
  async function story(url: string, stats: () => RunningServer['stats']) {
    const context = await browser.newContext();
    try {
      const tab = await context.newTab(`${url}/account`);
      await signIn(tab);
      await accountShown(tab);
      const before = { ...stats() };
      await tab.reload();
      await accountShown(tab); // signed in still: the cookie came back
      expect(stats().refreshes - before.refreshes).toBe(1);
      expect(stats().rejectedRefreshes - before.rejectedRefreshes).toBe(0);

      const second = await context.newTab(`${url}/account`);
      await accountShown(second);
      await second.click(button('Log out'));
      await second.waitForElement(heading('Sign in'));
      await tab.waitForElement(heading('Sign in')); // the first tab followed
      expect(await tab.text({ css: '.notice' })).toBe('You signed out in another tab.');
      expect(stats().rejectedRefreshes - before.rejectedRefreshes).toBe(0); // nobody signed out by a lost cookie
    } finally {
      await context.close();
    }
  }

  const plainHttpLine = (url: string) =>
    expect.stringMatching(new RegExp(`^cookies: a page on ${url.replace(/\./g, '\\.')} over plain http: the refresh cookie goes without Secure`));

  it('npm start: the demo signs in, stays signed in across a reload, and a logout in a second tab signs out the first', async () => {
    const log: string[] = [];
    const demo = await startDemo({ port: 0, accessTokenTtl: 600, log: (line) => log.push(line) });
    try {
      expect(demo.url).toMatch(/^http:\/\/localhost:\d+$/);
      await story(demo.url, () => demo.stats);
      expect(log.filter((line) => line.startsWith('cookies:'))).toEqual([plainHttpLine(demo.url)]);
      expect(log).toContain(`auth: POST /auth/login 200 ${DEMO_USER.email}`);
    } finally {
      await demo.close();
    }
  });

  it('your own SPA: a Vite dev server on localhost proxying /auth and /api to the example server, the same story', async () => {
    const log: string[] = [];
    const auth = await startServer({ port: 0, accessTokenTtl: 600, log: (line) => log.push(line) });
    const target = `http://127.0.0.1:${auth.port}`;
    const vite = await createViteServer({
      configFile: fileURLToPath(new URL('../../examples/react-spa/vite.config.ts', import.meta.url)),
      logLevel: 'silent',
      server: { port: 0, host: '127.0.0.1', proxy: { '/auth': target, '/api': target, '/__stats': target }, watch: null },
    });
    try {
      await vite.listen();
      const url = `http://localhost:${(vite.httpServer!.address() as { port: number }).port}`;
      await story(url, () => auth.stats);
      expect(log.filter((line) => line.startsWith('cookies:'))).toEqual([plainHttpLine(url)]);
      // The page calls its own origin: no CORS, so no "refused origin" line although SPA_ORIGINS is empty (issue 20).
      expect(log.filter((line) => line.startsWith('cors:'))).toEqual([]);
    } finally {
      await vite.close();
      await auth.close();
    }
  });
});
