import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_USER } from '../../examples/server/index.mjs';
import { describeEngine, type Tab } from './engines';
import { startHarness, stats, type Harness } from './harness';
import { cookieSent, lastSeen } from './tap';

// A real browser, real httpOnly cookies, the real example server.
const login = (tab: Tab) => tab.evaluate((user) => window.tk.auth.login(user), { email: DEMO_USER.email, password: DEMO_USER.password });

describeEngine('a session in the browser', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness?.close());

  it('logs in in one tab; a second tab restores from the cookie alone', async () => {
    const first = await harness.openTab();
    expect(await first.evaluate(() => window.tk.auth.getState().status)).toBe('anonymous');
    await login(first);

    const second = await harness.openTab();
    expect(await second.evaluate(() => window.tk.restored)).toMatchObject({ user: { email: DEMO_USER.email } });
    expect(await second.evaluate(() => window.tk.auth.getState().status)).toBe('authenticated');
    const me = await second.evaluate(async () => (await window.tk.auth.authFetch('/api/me')).json());
    expect(me).toMatchObject({ user: { email: DEMO_USER.email } });
    await Promise.all([first.close(), second.close()]);
  });

  it('keeps every token out of script-readable cookies and all storage', async () => {
    const tab = await harness.openTab();
    await login(tab);
    const token = await tab.evaluate(() => window.tk.auth.getAccessToken());
    const setCookie = lastSeen(harness.tap, '/auth/login').setCookie.join('\n');
    expect(setCookie).toMatch(/^tk_refresh=[^;]+; HttpOnly;( Secure;)? SameSite=Strict; Path=\/auth;/);
    const refresh = /^tk_refresh=([^;]+)/.exec(setCookie)![1]!;

    const visible = await tab.evaluate(async () => ({
      cookie: document.cookie,
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
      databases: (await indexedDB.databases()).map((db) => db.name),
      state: JSON.stringify(window.tk.auth.getState()),
      log: JSON.stringify(window.tk.log),
    }));
    expect(visible.cookie).toBe('');
    for (const place of [visible.local, visible.session, visible.state, visible.log]) {
      expect(place).not.toContain(token!);
      expect(place).not.toContain(refresh);
    }
    expect(visible.databases).toEqual([]);
    // The premise: the browser kept the cookie it cannot show, and sends it to /auth only.
    await harness.reload(tab);
    const sent = harness.tap.seen.filter((request) => cookieSent(request, 'tk_refresh') !== undefined).map((request) => request.path);
    expect(sent.at(-1)).toBe('/auth/refresh-token');
    expect(new Set(sent)).toEqual(new Set(['/auth/refresh-token', '/auth/login']));
    await tab.close();
  });

  it('brings the session back after a reload', async () => {
    const tab = await harness.openTab();
    await login(tab);
    expect(await harness.reload(tab)).toMatchObject({ user: { email: DEMO_USER.email } });
    expect(await tab.text({ css: '#status' })).toBe('authenticated');
    await tab.close();
  });

  it('sends no Authorization header to another origin, and does to its own', async () => {
    const tab = await harness.openTab();
    await login(tab);
    const [foreign, own] = await tab.evaluate(
      async ([other]) => {
        const read = async (url: string) => (await (await window.tk.auth.authFetch(url)).json()) as Record<string, string>;
        return [await read(`${other}/api/echo-headers`), await read('/api/echo-headers')];
      },
      [harness.other.url],
    );
    expect(foreign).not.toHaveProperty('authorization');
    expect(foreign!['origin']).toBe(harness.app.url);
    expect(own!['authorization']).toMatch(/^Bearer ey/);
    await tab.close();
  });

  it('logout revokes the cookie at the server: a new tab restores nothing', async () => {
    const tab = await harness.openTab();
    await login(tab);
    await tab.evaluate(() => window.tk.auth.logout());
    const after = await harness.openTab();
    expect(await after.evaluate(() => window.tk.restored)).toBeNull();
    expect((await stats(harness)).logouts).toBeGreaterThan(0);
    await Promise.all([tab.close(), after.close()]);
  });
});
