import { decodeJwt } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_USER } from '../../examples/server/index.mjs';
import { attackerKey } from '../modules/dpop-attacker';
import { describeEngine, type Tab } from './engines';
import { startHarness, stats, type Harness } from './harness';
import { lastSeen } from './tap';

// The client option `dpop` in a real browser against the example server (`dpop: true`): a copied
// token is worth nothing outside the page, and tabs share one key (a CryptoKey sent over the
// BroadcastChannel) with their one refresh.
const credentials = { email: DEMO_USER.email, password: DEMO_USER.password };
const authFetchStatus = (tab: Tab, path: string, init?: RequestInit) =>
  tab.evaluate(async ([url, options]) => (await window.tk.auth.authFetch(url, options)).status, [path, init] as const);
const thumbprint = (tab: Tab) => tab.evaluate(() => window.tk.dpop!.thumbprint());

describeEngine('DPoP', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ dpop: true, page: 'dpop.html' });
  });
  afterAll(() => harness?.close());

  it('a token copied out of the page is refused from Node, without a proof and with a proof of its own, while the page keeps working', async () => {
    const tab = await harness.openTab();
    await tab.evaluate((user) => window.tk.auth.login(user).then(() => undefined), credentials);
    const token = (await tab.evaluate(() => window.tk.auth.getAccessToken()))!;
    expect(decodeJwt(token)['cnf']).toEqual({ jkt: await thumbprint(tab) });
    const me = `${harness.app.url}/api/me`;

    const attacker = await attackerKey();
    const replays = {
      'DPoP, no proof': await fetch(me, { headers: { Authorization: `DPoP ${token}` } }),
      'Bearer, no proof': await fetch(me, { headers: { Authorization: `Bearer ${token}` } }),
      "DPoP, a proof by Node's own key": await fetch(me, {
        headers: { Authorization: `DPoP ${token}`, DPoP: await attacker.proof('GET', me, token) },
      }),
    };
    for (const [how, res] of Object.entries(replays)) {
      expect(res.status, how).toBe(401);
      expect(res.headers.get('WWW-Authenticate'), how).toMatch(/^DPoP error="invalid_token"/);
    }

    // The page signs its own request: the header carries a proof for this URL and this token.
    expect(await authFetchStatus(tab, '/api/me?from=page')).toBe(200);
    const { headers } = lastSeen(harness.tap, '/api/me');
    expect(headers['authorization']).toBe(`DPoP ${token}`);
    expect(decodeJwt(headers['dpop'] as string)).toMatchObject({ htm: 'GET', htu: me });
    await tab.evaluate(() => window.tk.auth.logout());
    await tab.close();
  });

  it('three tabs share one key and, when the server refuses their tokens, one refresh', async () => {
    const tabs = [await harness.openTab(), await harness.openTab(), await harness.openTab()];
    await tabs[0]!.evaluate((user) => window.tk.auth.login(user).then(() => undefined), credentials);
    for (const tab of tabs) await tab.waitFor(() => window.tk.auth.getState().status === 'authenticated');
    const key = await thumbprint(tabs[0]!);
    expect(await Promise.all(tabs.map(thumbprint))).toEqual([key, key, key]);
    expect(await Promise.all(tabs.map((tab) => authFetchStatus(tab, '/api/me')))).toEqual([200, 200, 200]);

    expect(await authFetchStatus(tabs[1]!, '/api/expire-access-tokens', { method: 'POST' })).toBe(204);
    const before = await stats(harness);
    const results = await Promise.all(tabs.map((tab) => authFetchStatus(tab, '/api/me')));

    const after = await stats(harness);
    console.info(`dpop three-tab refresh: refreshes=${after.refreshes - before.refreshes} reuseDetected=${after.reuseDetected - before.reuseDetected}`);
    expect(results).toEqual([200, 200, 200]);
    expect(after.refreshes - before.refreshes).toBe(1);
    expect(after.reuseDetected - before.reuseDetected).toBe(0);
    expect(await Promise.all(tabs.map(thumbprint))).toEqual([key, key, key]);
    const tokens = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.tk.auth.getAccessToken())));
    expect(new Set(tokens).size).toBe(1);
    expect(decodeJwt(tokens[0]!)['cnf']).toEqual({ jkt: key });
    for (const tab of tabs) await tab.close();
  });
});
