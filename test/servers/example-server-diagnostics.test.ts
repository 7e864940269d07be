// @vitest-environment node
// The example server explains itself (issue 9): the URL to open, SPA_ORIGINS mistakes at start,
// and one log line per auth call and per refused origin, never a secret.
import type { AddressInfo } from 'node:net';
import { createServer as createViteServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_USER, startServer, type RunningServer } from '../../examples/server/index.mjs';
import { browserUrl, parseOrigins } from '../../examples/server/origins.mjs';
import { HANG_MS } from '../support/outcome';
import { startServerProcess } from '../support/server-process.mjs';
import { call } from './http.mjs';

describe('SPA_ORIGINS', () => {
  it('trims a trailing slash and keeps well-formed origins without a warning', () => {
    expect(parseOrigins('http://localhost:5173/, https://app.example.com')).toEqual({
      origins: ['http://localhost:5173', 'https://app.example.com'],
      warnings: [],
    });
  });

  it('warns about an empty value, a path, a wildcard and what is not an origin', () => {
    expect(parseOrigins(undefined).warnings).toEqual([expect.stringMatching(/^SPA_ORIGINS is empty: .*SPA_ORIGINS=http:\/\/localhost:5173/)]);
    expect(parseOrigins(' , ').origins).toEqual([]);
    const { origins, warnings } = parseOrigins('http://localhost:5173/app, *, localhost:5173, ftp://files.example, http://localhost:5173');
    expect(origins).toEqual(['http://localhost:5173']);
    expect(warnings).toEqual([
      'SPA_ORIGINS: "http://localhost:5173/app" has a path; using its origin http://localhost:5173',
      expect.stringMatching(/^SPA_ORIGINS: ignoring "\*"/),
      expect.stringMatching(/^SPA_ORIGINS: ignoring "localhost:5173"/),
      expect.stringMatching(/^SPA_ORIGINS: ignoring "ftp:\/\/files.example"/),
    ]);
  });
});

describe('the URL to open', () => {
  it('is localhost for loopback and wildcard hosts, the host itself otherwise', () => {
    for (const host of ['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::']) expect(browserUrl(host, 4000)).toBe('http://localhost:4000');
    expect(browserUrl('192.168.1.20', 4000)).toBe('http://192.168.1.20:4000');
    expect(browserUrl('fe80::1', 4000)).toBe('http://[fe80::1]:4000');
  });
});

describe('one log line per auth call and per refused origin', () => {
  const SPA = 'http://localhost:5173';
  const lines: string[] = [];
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, allowedOrigins: [SPA], log: (line) => lines.push(line) });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    lines.length = 0;
  });

  const post = (path: string, init: { body?: unknown; cookie?: string; origin?: string; fetchSite?: string } = {}) =>
    call(server, 'POST', path, {
      body: init.body,
      cookie: init.cookie,
      headers: { ...(init.origin ? { Origin: init.origin } : {}), ...(init.fetchSite ? { 'Sec-Fetch-Site': init.fetchSite } : {}) },
    });

  it('says who signed in, and why a call was refused, without a token, cookie or password', async () => {
    const login = await post('/auth/login', { body: DEMO_USER, origin: SPA });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    await post('/auth/login', { body: { ...DEMO_USER, password: 'wrong-password' } });
    await post('/auth/refresh-token', { cookie });
    await post('/auth/refresh-token');

    expect(lines).toEqual([
      // Once, at the first cookie for a page on plain http://localhost (see example-server-dev-cookies.test.ts).
      expect.stringMatching(/^cookies: a page on http:\/\/localhost:5173 over plain http: the refresh cookie goes without Secure/),
      `auth: POST /auth/login 200 ${DEMO_USER.email}`,
      'auth: POST /auth/login 401 invalid_credentials',
      `auth: POST /auth/refresh-token 200 ${DEMO_USER.email}`,
      'auth: POST /auth/refresh-token 401 invalid_refresh_token (missing)',
    ]);
    const all = lines.join('\n');
    for (const secret of [accessToken, cookie.split('=')[1]!, DEMO_USER.password, 'wrong-password']) expect(all).not.toContain(secret);
  });

  it('names a refused origin and, for 127.0.0.1 against localhost, the mix-up', async () => {
    const preflight = await call(server, 'OPTIONS', '/auth/login', {
      headers: { Origin: 'http://127.0.0.1:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    await post('/auth/refresh-token', { origin: 'https://evil.example' });

    expect(lines).toEqual([
      'cors: refused origin http://127.0.0.1:5173 (POST /auth/login): allowed is http://localhost:5173: localhost and 127.0.0.1 are different sites to a browser',
      `cors: refused origin https://evil.example (POST /auth/refresh-token): not in SPA_ORIGINS (${SPA})`,
      'auth: POST /auth/refresh-token 401 invalid_refresh_token (missing)',
    ]);
  });

  it('does not call a same-origin page (STATIC_DIR) refused', async () => {
    await post('/auth/logout', { origin: server.url });
    expect(lines).toEqual(['auth: POST /auth/logout 204']);
  });

  it('logs a real refusal even when the page is on the same site', async () => {
    // localhost:5173 → this server's port: another origin, so CORS applies and the browser says so.
    await post('/auth/logout', { origin: 'http://localhost:3000', fetchSite: 'same-site' });
    expect(lines).toEqual([`cors: refused origin http://localhost:3000 (POST /auth/logout): not in SPA_ORIGINS (${SPA})`, 'auth: POST /auth/logout 204']);
  });

  it('logs nothing without a log function', async () => {
    const quiet = await startServer({ port: 0 });
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((name) => vi.spyOn(console, name));
    try {
      await call(quiet, 'POST', '/auth/login', { body: DEMO_USER, headers: { Origin: 'https://evil.example' } });
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      await quiet.close();
    }
  });
});

describe('behind a Vite dev-server proxy (the README\'s development set-up), SPA_ORIGINS empty', () => {
  const lines: string[] = [];
  let auth: RunningServer;
  let vite: ViteDevServer;
  let pageOrigin: string;
  beforeAll(async () => {
    auth = await startServer({ port: 0, log: (line) => lines.push(line) });
    const target = `http://127.0.0.1:${auth.port}`;
    // As the README's vite.config.ts: the string form, which rewrites Host to the target's.
    vite = await createViteServer({ configFile: false, logLevel: 'silent', server: { port: 0, host: '127.0.0.1', proxy: { '/auth': target }, watch: null } });
    await vite.listen();
    pageOrigin = `http://localhost:${(vite.httpServer!.address() as AddressInfo).port}`;
  }, 30_000);
  afterAll(async () => {
    await vite?.close();
    await auth?.close();
  });
  beforeEach(() => {
    lines.length = 0;
  });

  /** A POST as a browser sends it from a page on the dev server: Origin is the page's, and it calls its own origin. */
  const proxiedPost = (path: string, body?: unknown) =>
    call({ url: pageOrigin.replace('localhost', '127.0.0.1') }, 'POST', path, { body, headers: { Origin: pageOrigin, 'Sec-Fetch-Site': 'same-origin' } });

  it('signs in and out through the proxy without calling the page refused', async () => {
    const login = await proxiedPost('/auth/login', DEMO_USER);
    expect(login.status).toBe(200);
    expect((await proxiedPost('/auth/logout')).status).toBe(204);
    expect(lines.filter((line) => !line.startsWith('cookies:'))).toEqual([`auth: POST /auth/login 200 ${DEMO_USER.email}`, 'auth: POST /auth/logout 204']);
  });

  it('still names a page on another origin that calls the server directly', async () => {
    await call(auth, 'POST', '/auth/logout', { headers: { Origin: pageOrigin, 'Sec-Fetch-Site': 'same-site' } });
    expect(lines).toEqual([`cors: refused origin ${pageOrigin} (POST /auth/logout): SPA_ORIGINS is empty`, 'auth: POST /auth/logout 204']);
  });
});

describe('node examples/server/main.mjs', () => {
  it('prints the localhost URL, warns about SPA_ORIGINS and logs auth calls', async () => {
    const server = await startServerProcess({ SPA_ORIGINS: 'http://localhost:5173/, localhost:3000' });
    try {
      await call(server, 'POST', '/auth/refresh-token');
      await vi.waitFor(() => expect(server.output()).toContain('auth: POST /auth/refresh-token 401 invalid_refresh_token (missing)'), { timeout: HANG_MS });
      await vi.waitFor(() => expect(server.output()).toMatch(/warning: SPA_ORIGINS: ignoring "localhost:3000"/), { timeout: HANG_MS });
      expect(server.output()).toContain('SPA origins allowed to call with credentials: http://localhost:5173\n');
      expect(server.output()).toContain(`tokenkeeper example auth server on http://localhost:${server.port}\n`);
      expect(server.output()).not.toContain('127.0.0.1');
    } finally {
      await server.stop();
    }
  });

  it('warns when SPA_ORIGINS is empty, and AUTH_LOG=0 keeps auth calls out of the log', async () => {
    const server = await startServerProcess({ SPA_ORIGINS: '', AUTH_LOG: '0' });
    try {
      await call(server, 'POST', '/auth/refresh-token');
      await vi.waitFor(() => expect(server.output()).toMatch(/warning: SPA_ORIGINS is empty/), { timeout: HANG_MS });
    } finally {
      await server.stop();
    }
    expect(server.output()).not.toContain('auth: ');
  });
});
