// @vitest-environment node
// Node, so tests can present an older refresh token in a Cookie header (it wins over MSW's jar).
// The clock is frozen: every presentation below happens in the same millisecond.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createAuthServer } from 'tokenkeeper/msw';

const API = 'https://api.example.com';
let clock = Date.parse('2030-01-01T00:00:00Z');
const users = [{ email: 'alice@example.com', password: 'wonderland' }];
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function serve(reuseInterval?: number) {
  const auth = createAuthServer({ baseUrl: API, now: () => clock, users, ...(reuseInterval === undefined ? {} : { reuseInterval }) });
  server.use(...auth.handlers);
  return auth;
}

function cookieOf(res: Response): string {
  const value = /^tk_refresh=([^;]*)/.exec(res.headers.getSetCookie()[0] ?? '')?.[1];
  if (!value) throw new Error(`no refresh cookie in a ${res.status} response`);
  return value;
}

async function login(): Promise<string> {
  const body = JSON.stringify({ email: 'alice@example.com', password: 'wonderland' });
  return cookieOf(await fetch(`${API}/auth/login`, { method: 'POST', credentials: 'include', body }));
}

function refresh(token: string): Promise<Response> {
  return fetch(`${API}/auth/refresh-token`, { method: 'POST', credentials: 'include', headers: { Cookie: `tk_refresh=${token}` } });
}

describe('reuseInterval', () => {
  test('0: a second presentation in the same millisecond is reuse and revokes the family', async () => {
    const auth = serve(0);
    const first = await login();
    const second = cookieOf(await refresh(first));

    expect((await refresh(first)).status).toBe(401);
    expect(auth.stats).toMatchObject({ refreshes: 1, reuseDetected: 1 });
    expect((await refresh(second)).status).toBe(401); // the thief's copy and the victim's are both dead
  });

  test('0: of two concurrent presentations one rotates and the other is reuse', async () => {
    const auth = serve(0);
    const token = await login();
    const statuses = (await Promise.all([refresh(token), refresh(token)])).map((res) => res.status);

    expect(statuses.sort()).toEqual([200, 401]);
    expect(auth.stats).toMatchObject({ refreshes: 1, reuseDetected: 1 });
  });

  test('is a half-open window: accepted just before its end, reuse at it', async () => {
    const auth = serve(2);
    const first = await login();
    cookieOf(await refresh(first));

    clock += 1_999;
    expect((await refresh(first)).status).toBe(200);
    clock += 1;
    expect((await refresh(first)).status).toBe(401);
    expect(auth.stats).toMatchObject({ refreshes: 2, reuseDetected: 1 });
  });
});
