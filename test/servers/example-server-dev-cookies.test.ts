// @vitest-environment node
// Issue 19: WebKit (Safari) drops a Secure cookie set over plain http://localhost, so the example
// server leaves Secure off for exactly that case, says so once, and keeps it everywhere else.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER, startServer, type RunningServer } from '../../examples/server/index.mjs';
import { call } from './http.mjs';

/** The login's Set-Cookie; node:http, since fetch will not send another Host. */
const login = (server: RunningServer, headers: Record<string, string>) =>
  new Promise<string>((resolve, reject) => {
    const body = JSON.stringify({ email: DEMO_USER.email, password: DEMO_USER.password });
    request(`${server.url}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }, (response) => {
      response.resume();
      resolve(response.headers['set-cookie']?.[0] ?? '');
    })
      .once('error', reject)
      .end(body);
  });

describe('the refresh cookie’s Secure flag in the example server', () => {
  const lines: string[] = [];
  let server: RunningServer;
  let crossSite: RunningServer;
  beforeAll(async () => {
    [server, crossSite] = await Promise.all([
      startServer({ port: 0, log: (line) => lines.push(line) }),
      startServer({ port: 0, crossSite: true, allowedOrigins: ['http://localhost:5173'] }),
    ]);
  });
  afterAll(() => Promise.all([server?.close(), crossSite?.close()]));

  it('is left off for a page on plain http on a loopback host, and said once in the log', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:5173', 'http://app.localhost:5173', 'http://localhost:5173']) {
      expect(await login(server, { Origin: origin })).toMatch(/^tk_refresh=[^;]+; HttpOnly; SameSite=Strict; Path=\/auth; Max-Age=\d+$/);
    }
    expect(lines.filter((line) => line.startsWith('cookies:'))).toEqual([
      'cookies: a page on http://localhost:5173 over plain http: the refresh cookie goes without Secure to loopback pages ' +
        '(Safari/WebKit drop a Secure cookie on http://localhost); https and every other host keep Secure',
    ]);
  });

  it('stays on for an https page (a TLS proxy in front), a page on another host, a request for another host, and no Origin', async () => {
    const secure = /^tk_refresh=[^;]+; HttpOnly; Secure; SameSite=Strict; Path=\/auth; Max-Age=\d+$/;
    expect(await login(server, { Origin: 'https://app.example.com' })).toMatch(secure);
    expect(await login(server, { Origin: 'https://localhost:5173' })).toMatch(secure);
    expect(await login(server, { Origin: 'http://192.168.1.20:5173' })).toMatch(secure);
    expect(await login(server, { Origin: 'http://localhost:5173', Host: 'api.example.com' })).toMatch(secure);
    expect(await login(server, {})).toMatch(secure);
  });

  it('stays on cross-site, where SameSite=None needs it', async () => {
    const csrf = await call(crossSite, 'GET', '/auth/csrf', { headers: { Origin: 'http://localhost:5173' } });
    const token = ((await csrf.json()) as { csrfToken: string }).csrfToken;
    const setCookie = await login(crossSite, {
      Origin: 'http://localhost:5173',
      Cookie: csrf.headers.getSetCookie()[0]!.split(';')[0]!,
      'X-CSRF-Token': token,
    });
    expect(setCookie).toMatch(/; HttpOnly; Secure; SameSite=None; Partitioned;/);
  });
});
