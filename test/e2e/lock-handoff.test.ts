import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_USER } from '../../examples/server/index.mjs';
import { describeEngine, type Tab } from './engines';
import { startHarness, stats, type Harness } from './harness';

// Issue 8, property 12 in a real browser: the refresh lock (a Web Lock) never costs a session,
// even when clients are disposed and created again and again (StrictMode, hot reload) while a
// slow refresh is at the server.
let harness: Harness;
const REFRESH_MS = 600;

/** A tab signed in from the cookie alone (login, then reload), whose refreshes take 600 ms from now on. */
async function restoredTabWithSlowRefreshes(): Promise<{ page: Tab; slowed: () => number; fast: () => void }> {
  const page = await harness.openTab();
  await page.evaluate((user) => window.tk.auth.login(user), { email: DEMO_USER.email, password: DEMO_USER.password });
  expect(await harness.reload(page)).toMatchObject({ user: { email: DEMO_USER.email } });
  // The page's own module instance, so every client shares what the page's client shares.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.type = 'module';
    script.textContent = "import * as tk from '/tokenkeeper.js'; window.tokenkeeper = tk;";
    document.head.append(script);
  });
  await page.waitFor(() => 'tokenkeeper' in window);
  // Holding the request before it reaches the server is, for the page, a slow server.
  const from = harness.tap.seen.length;
  const fast = harness.tap.intercept('/auth/refresh-token', { delayMs: REFRESH_MS });
  const slowed = () => harness.tap.seen.slice(from).filter((request) => request.path === '/auth/refresh-token').length;
  return { page, slowed, fast };
}

/**
 * 20 cycles of: dispose the last client, create one, call its restore(); `pauseMs` between
 * cycles (0: all in one task, as a StrictMode double mount; more: as hot reloads).
 */
const cycles = (page: Tab, pauseMs: number) =>
  page.evaluate(async (pause) => {
    const { createAuthClient } = window.tokenkeeper;
    let client = window.tk.auth;
    const restores: Array<Promise<unknown>> = [];
    for (let cycle = 0; cycle < 20; cycle++) {
      client.dispose();
      client = createAuthClient({ baseUrl: location.origin });
      restores.push(client.restore().catch((error: { code?: string }) => ({ error: error.code })));
      if (pause) await new Promise((resolve) => setTimeout(resolve, pause));
    }
    const lastCreated = performance.now();
    const last = await restores.at(-1);
    const settledMs = Math.round(performance.now() - lastCreated);
    const all = await Promise.all(restores); // every disposed client's restore settles too
    return { last, status: client.getState().status, settled: all.length, settledMs };
  }, pauseMs);

describeEngine('the refresh lock (property 12)', () => {
  beforeAll(async () => {
    // A strict server: a refresh token presented twice, even a moment apart, counts as reuse.
    harness = await startHarness({ reuseInterval: 0 });
  });
  afterAll(() => harness?.close());

  for (const [pattern, pauseMs] of [['StrictMode (one task)', 0], ['hot reload (every 100 ms)', 100]] as const) {
    it(`20 dispose-and-create cycles, ${pattern}, against a 600 ms refresh end signed in with no reuse`, async () => {
      const { page, slowed, fast } = await restoredTabWithSlowRefreshes();
      const before = await stats(harness);

      const result = await cycles(page, pauseMs);

      const after = await stats(harness);
      console.info(`${pattern}: ${slowed()} refresh requests held, ${after.refreshes - before.refreshes} refreshes at the server, last client ${result.status} after ${result.settledMs} ms`);
      expect(result).toMatchObject({ last: { user: { email: DEMO_USER.email } }, status: 'authenticated', settled: 20 });
      // dispose() frees the lock at once: the last client does not wait out the lock's escape (> 10 s).
      expect(result.settledMs).toBeLessThan(5_000);
      expect(after.reuseDetected - before.reuseDetected).toBe(0);
      expect(after.rejectedRefreshes - before.rejectedRefreshes).toBe(0);
      expect(slowed()).toBeGreaterThan(0); // the premise: refreshes were slow while clients came and went
      // The cookie left behind is live: another tab restores from it.
      fast();
      const next = await harness.openTab();
      expect(await next.evaluate(() => window.tk.restored)).toMatchObject({ user: { email: DEMO_USER.email } });
      await Promise.all([page.close(), next.close()]);
    });
  }
});
