// A plain-http, non-localhost API (a dev box, a docker-compose host): browsers drop a Secure
// cookie from it, and so does MSW's cookie jar, so the mock must set one without Secure.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createAuthClient } from 'tokenkeeper';
import { createAuthServer } from 'tokenkeeper/msw';

const USER = { email: 'alice@example.com', password: 'wonderland', name: 'Alice' };
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('createAuthServer over plain http', () => {
  test('logs in, refreshes and logs out through the client against http://api.test', async () => {
    const auth = createAuthServer({ baseUrl: 'http://api.test', users: [USER] });
    server.use(...auth.handlers);
    const client = createAuthClient({ baseUrl: 'http://api.test', crossTab: false });

    await expect(client.login(USER)).resolves.toMatchObject({ user: { name: 'Alice' } });
    await expect(client.refresh()).resolves.toMatchObject({ user: { name: 'Alice' } });
    const me = await client.authFetch('http://api.test/me');
    expect(await me.json()).toMatchObject({ user: { email: USER.email } });
    await client.logout();

    expect(client.getState().status).toBe('anonymous');
    expect(await client.restore()).toBeNull(); // the logout revoked the cookie the refresh rotated
    expect(auth.stats).toMatchObject({ logins: 1, refreshes: 1, logouts: 1, reuseDetected: 0 });
    client.dispose();
  });
});
