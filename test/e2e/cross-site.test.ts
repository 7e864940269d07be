import { rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { AuthClient } from 'tokenkeeper';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthApp, DEMO_USER, startServer, type RunningServer } from '../../examples/server/index.mjs';
import { describeEngine, engine, type Browser, type Context, type Tab } from './engines';
import { bundleClient } from './harness';
import { startTap, type Tap } from './tap';
import { devCertificate } from './tls';

// Issue 10: the SPA and the API on two different SITES (https://localhost:A and https://127.0.0.1:B;
// a site ignores ports, so localhost and 127.0.0.1 differ), the API in cross-site mode. Each engine
// as it comes, and they differ (README, "Engines"): Chromium here, like Incognito, blocks
// third-party cookies that are not Partitioned; Firefox ESR partitions every third-party cookie
// (Total Cookie Protection), so it keeps them with or without the attribute; WebKit blocks every
// third-party cookie, Partitioned or not, so a cross-site SPA cannot sign in at all there.
/** WebKit keeps no third-party cookie: the tests that need a cross-site session cannot run there. */
const thirdPartyCookiesBlocked = engine.name === 'webkit';

declare global {
  interface Window {
    spa: {
      /** The SPA's start, as the README shows it. */
      start(api: string, options: { csrf: boolean }): Promise<void>;
      auth: AuthClient;
    };
  }
}

// The SPA's start: ask the API for this browser's CSRF token (CORS lets only SPA_ORIGINS read
// it), keep it in memory, and let the client send it with every auth call.
const SPA_PAGE = `<!doctype html><meta charset="utf-8"><title>spa</title>
<script src="/tokenkeeper.iife.js"></script>
<script>
  window.spa = {
    async start(api, { csrf }) {
      let csrfToken = '';
      window.spa.auth = tokenkeeper.createAuthClient({
        baseUrl: api,
        crossTab: false,
        ...(csrf ? { csrf: () => ({ 'X-CSRF-Token': csrfToken }) } : {}),
      });
      if (csrf) ({ csrfToken } = await (await fetch(api + '/auth/csrf', { credentials: 'include' })).json());
    },
  };
</script>`;

interface Seen {
  path: string;
  origin: string | undefined;
  /** Names of the cookies that reached the server. */
  cookies: string[];
  csrfHeader: string | undefined;
  status: number;
}

/**
 * The example server in cross-site mode, with a record of what reached it: which cookies came
 * across sites is the point of this file, so it is read where it arrives, not from the browser.
 */
async function startApi(host: string, options: { partitioned?: boolean } = {}) {
  const seen: Seen[] = [];
  const app = createAuthApp({ crossSite: true, allowedOrigins: [SPA], log: (line) => log.push(line), ...options });
  const server = createServer(devCertificate(), (req, res) => {
    res.on('finish', () => {
      if (req.method === 'OPTIONS') return;
      seen.push({
        path: new URL(req.url ?? '/', 'http://x').pathname,
        origin: req.headers.origin,
        cookies: (req.headers.cookie ?? '').split(/; */).filter(Boolean).map((pair) => pair.split('=')[0]!),
        csrfHeader: req.headers['x-csrf-token'] as string | undefined,
        status: res.statusCode,
      });
    });
    void app.handle(req, res);
  });
  await app.ready;
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://${host}:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

let staticDir: string;
let browser: Browser;
let context: Context;
let servers: RunningServer[];
let spa: Tap;
/** Another origin on the SPA's site: top-level pages there share the SPA's cookie partition. */
let sibling: Tap;
/** A third site. */
let thirdSite: Tap;
let api: Awaited<ReturnType<typeof startApi>>;
let SPA: string;
let API: string;
const log: string[] = [];

describeEngine('SPA and API on two sites', () => {
  beforeAll(async () => {
    staticDir = await bundleClient();
    await writeFile(join(staticDir, 'index.html'), SPA_PAGE);
    // Every page on https (a certificate of the test's own, tls.ts): over http, WebKit drops the
    // Secure cookies cross-site mode needs, and the differences between engines would hide behind that.
    const tls = devCertificate();
    servers = await Promise.all([
      startServer({ port: 0, staticDir }),
      startServer({ port: 0, staticDir }),
      startServer({ port: 0, host: '127.0.0.2', staticDir }),
    ]);
    [spa, sibling, thirdSite] = await Promise.all([
      startTap(servers[0]!.port, { tls }),
      startTap(servers[1]!.port, { tls }),
      startTap(servers[2]!.port, { tls, host: '127.0.0.2', upstreamHost: '127.0.0.2' }),
    ]);
    SPA = spa.url;
    api = await startApi('127.0.0.1');
    API = api.url;
    browser = await engine.launch();
    context = await browser.newContext();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([spa?.close(), sibling?.close(), thirdSite?.close(), api?.close(), ...(servers ?? []).map((server) => server.close())]);
    if (staticDir) await rm(staticDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    api.seen.length = 0;
    log.length = 0;
  });

  const requests = (path: string) => api.seen.filter((request) => request.path === path);
  const credentials = { email: DEMO_USER.email, password: DEMO_USER.password };

  async function spaTab(options: { csrf: boolean }): Promise<Tab> {
    const page = await context.newTab(SPA);
    await page.evaluate(([api, start]) => window.spa.start(api, start), [API, options] as const);
    return page;
  }

  /** What restore() gives a fresh SPA page: the signed-in email, `null` for none, or the error code. */
  async function restoreIn(options: { csrf: boolean }) {
    const page = await spaTab(options);
    const result = await page.evaluate(async () => {
      try {
        return (await window.spa.auth.restore())?.user?.['email'] ?? null;
      } catch (error) {
        return `error: ${(error as { code?: string }).code}`;
      }
    });
    await page.close();
    return result;
  }

  async function signIn() {
    const page = await spaTab({ csrf: true });
    await page.evaluate((user) => window.spa.auth.login(user), credentials);
    await page.close();
  }

  describe.runIf(thirdPartyCookiesBlocked)('SPA on one site, API on another, in an engine that blocks every third-party cookie', () => {
    it('the SPA cannot sign in, and the client says so: login rejects with the API’s 403, restore() finds no session, nothing signed in', async () => {
      const page = await spaTab({ csrf: true });
      const result = await page.evaluate(async (user) => {
        const { auth } = window.spa;
        const login = await auth.login(user).then(
          () => 'signed in',
          (error: { code?: string; status?: number }) => `${error.code} ${error.status}`,
        );
        const restored = await auth.restore().catch((error: { code?: string }) => `error: ${error.code}`);
        return { login, restored, status: auth.getState().status };
      }, credentials);
      await page.close();
      expect(result).toEqual({ login: 'unauthorized 403', restored: null, status: 'anonymous' });
      // The token cookie GET /auth/csrf set (Partitioned) never came back.
      expect(api.seen.map(({ path, cookies, status }) => ({ path, cookies, status }))).toEqual([
        { path: '/auth/csrf', cookies: [], status: 200 },
        { path: '/auth/login', cookies: [], status: 403 },
        { path: '/auth/refresh-token', cookies: [], status: 403 },
      ]);
      expect(log).toContain('auth: POST /auth/login 403 csrf (no_cookie)');
    });
  });

  // Not in WebKit: it keeps no cross-site session to refresh, restore or forge calls against (above).
  describe.skipIf(thirdPartyCookiesBlocked)('SPA on one site, API on another', () => {
    it('the refresh is refused without the CSRF header and accepted with it; both carried the cookies', async () => {
      await signIn();
      expect(await restoreIn({ csrf: false })).toBeNull(); // a 403 refresh: no session here
      expect(await restoreIn({ csrf: true })).toBe(DEMO_USER.email);

      const [refused, accepted] = requests('/auth/refresh-token');
      expect(refused).toMatchObject({ origin: SPA, status: 403, csrfHeader: undefined });
      expect(accepted).toMatchObject({ origin: SPA, status: 200, csrfHeader: expect.stringMatching(/^[\w-]{43}$/) });
      // Both carried the cookies across sites: the header alone decided.
      for (const request of [refused, accepted]) expect(request?.cookies.sort()).toEqual(['__Host-tk_csrf', 'tk_refresh']);
      expect(log).toContain('auth: POST /auth/refresh-token 403 csrf (missing)');
      expect(log).toContain(`auth: POST /auth/refresh-token 200 ${DEMO_USER.email}`);
    });

    it('every page load asks for the token first, then restores, calls the API and logs out as a same-site SPA does', async () => {
      await signIn();
      const page = await spaTab({ csrf: true });
      const result = await page.evaluate(async (api) => {
        const { auth } = window.spa;
        const restored = await auth.restore();
        const me = await auth.authFetch(`${api}/api/me`);
        await auth.logout();
        return { restored: restored?.user?.['email'], me: me.status };
      }, API);
      await page.close();
      expect(result).toEqual({ restored: DEMO_USER.email, me: 200 });
      expect(await restoreIn({ csrf: true })).toBeNull(); // the logout ended the session on the server
      const tokens = requests('/auth/refresh-token').map((request) => request.csrfHeader);
      expect(tokens).toHaveLength(2);
      expect(new Set(tokens).size).toBe(1); // every page load read the same token: it is the browser's
      expect(requests('/auth/logout')).toEqual([expect.objectContaining({ status: 204, csrfHeader: tokens[0] })]);
    });
  });

  describe.skipIf(thirdPartyCookiesBlocked)('forged calls from other pages', () => {
    /** From a page at `origin`: try to read the token, then a forged logout and refresh (no-cors, cookies included). */
    async function forgeFrom(origin: string) {
      const page = await context.newTab(origin);
      const read = await page.evaluate(async (api) => {
        try {
          return await (await fetch(`${api}/auth/csrf`, { credentials: 'include' })).text();
        } catch (error) {
          return (error as Error).name; // CORS: the answer is not this page's to read
        }
      }, API);
      await page.evaluate(async (api) => {
        for (const path of ['/auth/logout', '/auth/refresh-token']) {
          await fetch(`${api}${path}`, { method: 'POST', mode: 'no-cors', credentials: 'include' });
        }
      }, API);
      await page.close();
      return read;
    }

    const forged = () => [...requests('/auth/logout'), ...requests('/auth/refresh-token')];

    it('another origin on the SPA’s site shares its cookie partition, so the cookies go along, but it cannot read the token: refused, the session lives on', async () => {
      await signIn();
      const origin = sibling.url;
      expect(await forgeFrom(origin)).toBe('TypeError');

      expect(forged()).toHaveLength(2);
      for (const request of forged()) {
        expect(request).toMatchObject({ origin, status: 403, csrfHeader: undefined });
        expect(request.cookies.sort()).toEqual(['__Host-tk_csrf', 'tk_refresh']);
      }
      expect(log).toContain('auth: POST /auth/logout 403 csrf (missing)');
      expect(await restoreIn({ csrf: true })).toBe(DEMO_USER.email);
    });

    it('a page on a third site does not even send the session’s cookies: they are partitioned to the SPA’s site', async () => {
      await signIn();
      const origin = thirdSite.url;
      expect(await forgeFrom(origin)).toBe('TypeError');

      // Its own GET /auth/csrf gave it a token cookie in its own partition (unreadable to it); the
      // refresh cookie of the SPA's partition never left the browser.
      expect(forged().map(({ origin, cookies, status }) => ({ origin, cookies, status }))).toEqual([
        { origin, cookies: ['__Host-tk_csrf'], status: 403 },
        { origin, cookies: ['__Host-tk_csrf'], status: 403 },
      ]);
      expect(await restoreIn({ csrf: true })).toBe(DEMO_USER.email);
    });
  });

  describe('why Partitioned', () => {
    // Firefox partitions every third-party cookie anyway (Total Cookie Protection): it keeps both.
    const keepsUnpartitioned = engine.name === 'firefox';
    it(`without it, ${keepsUnpartitioned ? 'Firefox partitions the cookies anyway and the SPA signs in' : 'the engine (third-party cookies blocked) keeps neither cookie: the SPA cannot even log in'}`, async () => {
      // Another host: cookies ignore ports, so 127.0.0.1's partitioned ones would otherwise come along.
      const unpartitioned = await startApi('127.0.0.3', { partitioned: false });
      try {
        const page = await context.newTab(SPA);
        const login = await page.evaluate(async ([api, user]) => {
          await window.spa.start(api, { csrf: true });
          return window.spa.auth.login(user).then(
            () => 'signed in',
            (error: { status?: number }) => error.status,
          );
        }, [unpartitioned.url, credentials] as const);
        await page.close();
        const seen = unpartitioned.seen.map(({ path, cookies, status }) => ({ path, cookies, status }));
        if (keepsUnpartitioned) {
          expect(login).toBe('signed in');
          expect(seen).toEqual([
            { path: '/auth/csrf', cookies: [], status: 200 },
            { path: '/auth/login', cookies: ['__Host-tk_csrf'], status: 200 },
          ]);
          return;
        }
        expect(login).toBe(403);
        // The token cookie GET /auth/csrf set never came back: the engine dropped it as a third-party cookie.
        expect(seen).toEqual([
          { path: '/auth/csrf', cookies: [], status: 200 },
          { path: '/auth/login', cookies: [], status: 403 },
        ]);
        expect(log).toContain('auth: POST /auth/login 403 csrf (no_cookie)');
      } finally {
        await unpartitioned.close();
      }
    });
  });
});
