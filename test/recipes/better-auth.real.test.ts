// @vitest-environment node
// The better-auth recipe against a real better-auth server (npm's better-auth, memory adapter, JWT
// plugin) on loopback, each client with the cookie jar of a browser tab on the SPA's origin.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthClient, type AuthClient } from 'tokenkeeper';
import { startBetterAuth, type BetterAuthServer } from './better-auth-server';
import { betterAuth } from './better-auth.recipe';
import { browserFetch, type CookieJar } from './browser-fetch';

const APP = 'https://app.example.com';
const USER = { email: 'bob@example.com', password: 'correct-horse-battery', name: 'Bob' };

let server: BetterAuthServer;
let jar: CookieJar;
const clients: AuthClient[] = [];
const client = (cookies = jar) => {
  const created = createAuthClient({ baseUrl: server.url, ...betterAuth, fetch: browserFetch(APP, cookies), crossTab: false });
  clients.push(created);
  return created;
};
const orders = async (auth: AuthClient) => {
  const response = await auth.authFetch(`${server.url}/api/orders`);
  return { status: response.status, body: (await response.json()) as unknown };
};

beforeAll(async () => {
  server = await startBetterAuth(APP);
  await client(new Map()).register(USER);
});
beforeEach(() => {
  jar = new Map();
  server.api.maxTokenAge = undefined;
  server.tokenStatuses.length = 0;
});
afterEach(async () => {
  vi.useRealTimers();
  for (const created of clients.splice(0)) await created.logout().finally(() => created.dispose());
});
afterAll(() => server.close());

describe('better-auth (a real server): the README recipe', () => {
  it('register signs up, then one GET /api/auth/token brings the JWT the app API accepts', async () => {
    const auth = client();
    const session = await auth.register({ email: 'carol@example.com', password: 'battery-staple-horse', name: 'Carol' });

    expect(session?.user).toMatchObject({ email: 'carol@example.com', name: 'Carol' });
    expect(server.tokenStatuses).toEqual([200]);
    expect(await orders(auth)).toEqual({ status: 200, body: { orders: [], email: 'carol@example.com' } });
  });

  it('restore() on a first visit resolves null (401 without a session cookie)', async () => {
    await expect(client().restore()).resolves.toBeNull();
    expect(server.tokenStatuses).toEqual([401]);
  });

  it('login, a reload restores the session from the cookie alone', async () => {
    const session = await client().login(USER);
    expect(session.user).toMatchObject({ email: USER.email, name: USER.name });
    expect([...jar.keys()]).toContain('better-auth.session_token');

    const reloaded = client();
    const restored = await reloaded.restore();

    expect(restored?.user).toMatchObject({ email: USER.email });
    expect(await orders(reloaded)).toEqual({ status: 200, body: { orders: [], email: USER.email } });
  });

  it('a 401 from the app API costs one refresh and one replay', async () => {
    const auth = client();
    await auth.login(USER);
    server.tokenStatuses.length = 0;
    server.api.maxTokenAge = 60; // the API now refuses the JWT the client still trusts
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);

    expect(await orders(auth)).toEqual({ status: 200, body: { orders: [], email: USER.email } });
    expect(server.tokenStatuses).toEqual([200]);
  });

  it('logout ends the session at the server; logout({ everywhere: true }) ends every device', async () => {
    const laptop = client();
    await laptop.login(USER);
    const sessions = server.db.session.length;
    await laptop.logout();
    expect(server.db.session.length).toBe(sessions - 1);
    await expect(client().restore()).resolves.toBeNull();

    const phone = client(new Map());
    await phone.login(USER);
    const desktop = client();
    await desktop.login(USER);
    await desktop.logout({ everywhere: true });

    const users = server.db.user as { id: string; email: string }[];
    const bob = users.find(({ email }) => email === USER.email)?.id;
    expect(server.db.session.filter((session) => (session as { userId: string }).userId === bob)).toEqual([]);
    await expect(phone.refresh()).rejects.toMatchObject({ code: 'unauthorized' });
  });
});
