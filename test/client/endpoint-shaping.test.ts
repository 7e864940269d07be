import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { API, setupWorld, USER } from '../support/world';

// "Fits any backend": endpoints as objects, logoutEverywhere, tokenHeader and csrf shape each request.
const world = setupWorld();

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}
const headersOf = (request: Request) => Object.fromEntries([...request.headers].map(([name, value]) => [name.toLowerCase(), value]));

/** Records every request to `path`, then lets the mock auth server answer it (as POST). */
function spy(path: string, method: 'get' | 'post' | 'delete' = 'post') {
  const seen: Seen[] = [];
  world.server.use(
    http[method](`${API}${path}`, async ({ request }) => {
      seen.push({ method: request.method, url: request.url, headers: headersOf(request), body: await request.clone().text() });
      if (method === 'post') return undefined;
      // A GET refresh: forward to the mock server's POST endpoint, cookie and all.
      return fetch(`${API}/auth/refresh-token`, { method: 'POST', credentials: 'include', headers: request.headers });
    }),
  );
  return seen;
}

afterEach(() => {
  document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
});

describe('endpoint objects', () => {
  it('a GET refresh sends no body and no Content-Type; headers and body extras reach their calls', async () => {
    const refreshes = spy('/auth/token', 'get');
    const logins = spy('/auth/login');
    const auth = world.client({
      endpoints: {
        login: { path: '/auth/login', headers: { 'X-Client': 'spa' }, body: { remember: true } },
        refresh: { path: '/auth/token', method: 'GET', headers: () => ({ 'X-Call': 'refresh' }) },
      },
    });
    await auth.login(USER);
    await auth.refresh();

    expect(JSON.parse(logins[0]!.body)).toEqual({ ...USER, remember: true });
    expect(logins[0]!.headers).toMatchObject({ 'x-client': 'spa', 'content-type': 'application/json' });
    expect(refreshes[0]).toMatchObject({ method: 'GET', body: '' });
    expect(refreshes[0]!.headers).toMatchObject({ 'x-call': 'refresh' });
    expect(refreshes[0]!.headers).not.toHaveProperty('content-type');
    expect(refreshes[0]!.headers).not.toHaveProperty('authorization'); // bearer defaults to false for refresh
  });

  it('a body function receives what the client would send and its answer is merged in', async () => {
    const logins = spy('/auth/login');
    const auth = world.client({ endpoints: { login: { path: '/auth/login', body: (sent) => ({ username: sent['email'] }) } } });
    await auth.login(USER);
    expect(JSON.parse(logins[0]!.body)).toEqual({ ...USER, username: USER.email });
  });

  it('bearer: true puts the token on a refresh; an absolute path is used as is', async () => {
    const refreshes = spy('/auth/refresh-token');
    const auth = world.client({ endpoints: { refresh: { path: `${API}/auth/refresh-token`, bearer: true } } });
    await auth.login(USER);
    const token = await auth.getAccessToken();
    await auth.refresh();
    expect(refreshes[0]!.headers['authorization']).toBe(`Bearer ${token}`);
  });
});

describe('endpoints.logoutEverywhere', () => {
  // Contract 0.3: a 2xx from it has ended this session too; a logout after it is refused by servers
  // such as Payload (400 No User) and was reported as an error.
  it.each([
    [204, ['logout-all']],
    [500, ['logout-all', 'logout']],
  ])('is called (cookie and token) instead of sending { everywhere: true }; answered %i, the normal logout goes: %j', async (status, expected) => {
    const order: string[] = [];
    let everywhere: Seen | undefined;
    world.server.use(
      http.post(`${API}/auth/logout-all`, async ({ request, cookies }) => {
        order.push('logout-all');
        everywhere = { method: request.method, url: request.url, headers: headersOf(request), body: cookies['tk_refresh'] ?? '' };
        return new HttpResponse(null, { status });
      }),
    );
    const logouts = spy('/auth/logout');
    world.server.events.on('request:start', ({ request }) => void (request.url.endsWith('/auth/logout') && order.push('logout')));
    const auth = world.client({ endpoints: { logoutEverywhere: '/auth/logout-all' } });
    await auth.login(USER);
    const token = await auth.getAccessToken();

    await auth.logout({ everywhere: true });
    world.server.events.removeAllListeners();

    expect(order).toEqual(expected);
    expect(everywhere!.headers['authorization']).toBe(`Bearer ${token}`);
    expect(everywhere!.body).not.toBe(''); // the refresh cookie rode along
    if (expected.includes('logout')) expect(logouts[0]!.body).toBe('');
    else expect(logouts).toEqual([]);
  });

  it('without it, logout({ everywhere: true }) sends { everywhere: true } to the logout endpoint', async () => {
    const logouts = spy('/auth/logout');
    const auth = world.client();
    await auth.login(USER);
    await auth.logout({ everywhere: true });
    expect(JSON.parse(logouts[0]!.body)).toEqual({ everywhere: true });
  });
});

describe('tokenHeader', () => {
  it('puts the bare token in a custom header for authFetch and logout', async () => {
    const logouts = spy('/auth/logout');
    let seenHeader: string | null = null;
    world.server.use(http.get(`${API}/api/custom`, ({ request }) => HttpResponse.json({ token: (seenHeader = request.headers.get('xc-auth')) })));
    const auth = world.client({ tokenHeader: { name: 'xc-auth', scheme: null } });
    await auth.login(USER);
    const token = await auth.getAccessToken();

    await auth.authFetch(`${API}/api/custom`);
    expect(seenHeader).toBe(token);
    await auth.logout();
    expect(logouts[0]!.headers['xc-auth']).toBe(token);
    expect(logouts[0]!.headers).not.toHaveProperty('authorization');
  });

  it('keeps a header of that name the caller set (rule 1)', async () => {
    let seenHeader: string | null = null;
    world.server.use(http.get(`${API}/api/custom`, ({ request }) => HttpResponse.json({ token: (seenHeader = request.headers.get('xc-auth')) })));
    const auth = world.client({ tokenHeader: { name: 'xc-auth', scheme: null } });
    await auth.login(USER);
    await auth.authFetch(`${API}/api/custom`, { headers: { 'xc-auth': 'mine' } });
    expect(seenHeader).toBe('mine');
  });
});

describe('csrf', () => {
  it('sends the script-readable cookie in the header on every auth call, read anew each time', async () => {
    const logins = spy('/auth/login');
    const refreshes = spy('/auth/refresh-token');
    const auth = world.client({ csrf: { cookie: 'XSRF-TOKEN', header: 'X-XSRF-TOKEN' } });
    document.cookie = 'XSRF-TOKEN=first%20value';
    await auth.login(USER);
    document.cookie = 'XSRF-TOKEN=rotated';
    await auth.refresh();

    expect(logins[0]!.headers['x-xsrf-token']).toBe('first value');
    expect(refreshes[0]!.headers['x-xsrf-token']).toBe('rotated');
  });

  // Issue 17, property 5: a cookie tossed from a sibling subdomain (`XSRF-TOKEN=%E0%A4%A`) threw a raw
  // URIError from every auth call, and logout() skipped the server silently.
  describe('a malformed CSRF cookie', () => {
    afterEach(() => void (document.cookie = 'XSRF-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT'));
    const csrf = { cookie: 'XSRF-TOKEN', header: 'X-XSRF-TOKEN' };

    it('makes login and refresh reject with an AuthError, sending nothing; the session stays', async () => {
      const logins = spy('/auth/login');
      const refreshes = spy('/auth/refresh-token');
      const auth = world.client({ csrf });
      await auth.login(USER);
      document.cookie = 'XSRF-TOKEN=%E0%A4%A';

      await expect(auth.refresh()).rejects.toMatchObject({ name: 'AuthError', code: 'network', message: expect.stringMatching(/CSRF/) });
      await expect(world.client({ csrf }).login(USER)).rejects.toMatchObject({ name: 'AuthError', code: 'network' });
      expect(refreshes).toHaveLength(0);
      expect(logins).toHaveLength(1);
      expect(auth.getState().status).toBe('authenticated');
    });

    it('logout() still clears memory, still reaches the server (without the header), and reports the CSRF failure', async () => {
      const logouts = spy('/auth/logout');
      const auth = world.client({ csrf });
      await auth.login(USER);
      const errors: unknown[] = [];
      auth.on('error', ({ error }) => errors.push(error));
      document.cookie = 'XSRF-TOKEN=%E0%A4%A';

      await auth.logout();

      expect(auth.getState().status).toBe('anonymous');
      expect(logouts).toHaveLength(1);
      expect(logouts[0]!.headers).not.toHaveProperty('x-xsrf-token');
      expect(world.auth.stats.logouts).toBe(1); // the session ended at the server too
      expect(errors).toEqual([expect.objectContaining({ name: 'AuthError', code: 'network', message: expect.stringMatching(/CSRF/) })]);
    });

    it('a csrf function that throws is the same AuthError', async () => {
      const auth = world.client({
        csrf: () => {
          throw new Error('no meta tag');
        },
      });
      await expect(auth.login(USER)).rejects.toMatchObject({ name: 'AuthError', code: 'network', cause: expect.objectContaining({ message: 'no meta tag' }) });
    });
  });

  it('sends no header while the cookie is missing; a function adds its own headers', async () => {
    const logins = spy('/auth/login');
    await world.client({ csrf: { cookie: 'XSRF-TOKEN', header: 'X-XSRF-TOKEN' } }).login(USER);
    await world.client({ csrf: () => ({ 'X-CSRF': 'from-meta-tag' }) }).login(USER);
    expect(logins[0]!.headers).not.toHaveProperty('x-xsrf-token');
    expect(logins[1]!.headers['x-csrf']).toBe('from-meta-tag');
  });
});
