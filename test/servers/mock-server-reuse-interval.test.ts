// @vitest-environment node
// Node, so tests can present an older refresh token in a Cookie header (it wins over MSW's jar).
// The clock is frozen: every presentation below happens in the same millisecond.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createAuthServer } from 'tokenkeeper/msw';
import * as http from './http.mjs';
import { MOCK } from './mock-fixture';

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

/** `tk_refresh=<token>` from a response; throws when it sets none (or clears it). */
function cookieOf(res: Response): string {
  const cookie = http.cookieOf(res);
  if (cookie === '' || cookie === 'tk_refresh=') throw new Error(`no refresh cookie in a ${res.status} response`);
  return cookie;
}

const login = async (): Promise<string> => cookieOf(await http.login(MOCK, 'alice@example.com', 'wonderland'));
const refresh = (cookie: string): Promise<Response> => http.refresh(MOCK, cookie);

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
