import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient } from 'tokenkeeper';

// baseUrl, endpoints and authorizedOrigins resolve as CONTRACT.md says.
const hits: string[] = [];
const server = setupServer(
  http.all('*', ({ request }) => {
    hits.push(`${request.method} ${request.url} ${request.headers.get('authorization') ?? '-'}`);
    return HttpResponse.json({ accessToken: 'tok', expiresIn: 60 });
  }),
);
beforeAll(() => server.listen());
afterEach(() => void (hits.length = 0));
afterAll(() => server.close());

describe('options', () => {
  it('appends endpoint paths to the base path', async () => {
    const auth = createAuthClient({ baseUrl: 'https://x.io/v1/', crossTab: false });
    await auth.login({});
    await auth.refresh();
    expect(hits).toEqual(['POST https://x.io/v1/auth/login -', 'POST https://x.io/v1/auth/refresh-token -']);
  });

  it('uses an absolute endpoint URL as is, and custom paths', async () => {
    const auth = createAuthClient({
      baseUrl: 'https://x.io/v1',
      endpoints: { login: 'https://sso.x.io/token', refresh: 'session/renew' },
      crossTab: false,
    });
    await auth.login({});
    await auth.refresh();
    expect(hits).toEqual(['POST https://sso.x.io/token -', 'POST https://x.io/v1/session/renew -']);
  });

  it('resolves a relative baseUrl against location.origin and authorizes that origin', async () => {
    const auth = createAuthClient({ baseUrl: '/api', crossTab: false });
    await auth.login({});
    await auth.authFetch('/api/things');
    await auth.authFetch('https://cdn.example.com/file');
    expect(hits).toEqual([
      'POST https://app.example.com/api/auth/login -',
      'GET https://app.example.com/api/things Bearer tok',
      'GET https://cdn.example.com/file -',
    ]);
  });

  it('throws a TypeError for a missing or malformed configuration', () => {
    // @ts-expect-error baseUrl is required
    expect(() => createAuthClient({})).toThrow(TypeError);
    expect(() => createAuthClient({ baseUrl: 'https://' })).toThrow(TypeError);
    expect(() => createAuthClient({ baseUrl: 'https://x.io', refreshMargin: -1 })).toThrow(/refreshMargin/);
    expect(() => createAuthClient({ baseUrl: 'https://x.io', timeout: 0 })).toThrow(/timeout/);
  });

  it('uses the injected fetch for auth calls and authFetch', async () => {
    const calls: string[] = [];
    const fake: typeof fetch = async (input) => {
      calls.push(input instanceof Request ? input.url : String(input));
      return HttpResponse.json({ accessToken: 'injected', expiresIn: 60 });
    };
    const auth = createAuthClient({ baseUrl: 'https://x.io', fetch: fake, crossTab: false });
    await auth.login({});
    await auth.authFetch('https://x.io/data');
    expect(calls).toEqual(['https://x.io/auth/login', 'https://x.io/data']);
    expect(hits).toEqual([]);
  });
});
