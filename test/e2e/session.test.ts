import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../examples/server/index.mjs';
import { startHarness, stats, type Harness } from './harness';

// Real Chromium, real httpOnly cookies, the real example server.
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness?.close());

const login = (page: Awaited<ReturnType<Harness['openTab']>>) =>
  page.evaluate((user) => window.tk.auth.login(user), { email: DEMO_USER.email, password: DEMO_USER.password });

describe('a session in the browser', () => {
  it('logs in in one tab; a second tab restores from the cookie alone', async () => {
    const first = await harness.openTab();
    expect(await first.evaluate(() => window.tk.auth.getState().status)).toBe('anonymous');
    await login(first);

    const second = await harness.openTab();
    expect(await second.evaluate(() => window.tk.restored)).toMatchObject({ user: { email: DEMO_USER.email } });
    expect(await second.evaluate(() => window.tk.auth.getState().status)).toBe('authenticated');
    const me = await second.evaluate(async () => (await window.tk.auth.authFetch('/api/me')).json());
    expect(me).toMatchObject({ user: { email: DEMO_USER.email } });
  });

  it('keeps every token out of script-readable cookies and all storage', async () => {
    const page = await harness.openTab();
    await login(page);
    const token = await page.evaluate(() => window.tk.auth.getAccessToken());
    const cookies = await harness.context.cookies();
    const refresh = cookies.find((c) => c.name === 'tk_refresh');
    expect(refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/auth' });

    const visible = await page.evaluate(async () => ({
      cookie: document.cookie,
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
      databases: (await indexedDB.databases()).map((db) => db.name),
      state: JSON.stringify(window.tk.auth.getState()),
      log: JSON.stringify(window.tk.log),
    }));
    expect(visible.cookie).not.toContain(refresh!.value);
    expect(visible.cookie).toBe('');
    for (const place of [visible.local, visible.session, visible.state, visible.log]) {
      expect(place).not.toContain(token!);
      expect(place).not.toContain(refresh!.value);
    }
    expect(visible.databases).toEqual([]);
  });

  it('brings the session back after a reload', async () => {
    const page = await harness.openTab();
    await login(page);
    await page.reload();
    await page.waitForFunction(() => 'tk' in window);
    const restored = await page.evaluate(() => window.tk.restored);
    expect(restored).toMatchObject({ user: { email: DEMO_USER.email } });
    expect(await page.textContent('#status')).toBe('authenticated');
  });

  it('sends no Authorization header to another origin, and does to its own', async () => {
    const page = await harness.openTab();
    await login(page);
    const [foreign, own] = await page.evaluate(
      async ([other]) => {
        const read = async (url: string) => (await (await window.tk.auth.authFetch(url)).json()) as Record<string, string>;
        return [await read(`${other}/api/echo-headers`), await read('/api/echo-headers')];
      },
      [harness.other.url],
    );
    expect(foreign).not.toHaveProperty('authorization');
    expect(foreign['origin']).toBe(harness.app.url);
    expect(own['authorization']).toMatch(/^Bearer ey/);
  });

  it('logout revokes the cookie at the server: a new tab restores nothing', async () => {
    const page = await harness.openTab();
    await login(page);
    await page.evaluate(() => window.tk.auth.logout());
    const after = await harness.openTab();
    expect(await after.evaluate(() => window.tk.restored)).toBeNull();
    expect((await stats(harness)).logouts).toBeGreaterThan(0);
  });
});
