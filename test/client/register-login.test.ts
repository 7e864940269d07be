import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, setupWorld } from '../support/world';

const world = setupWorld();

describe('register() and login()', () => {
  it('registers a new account, then logs in to it from another page', async () => {
    const account = { email: 'bob@example.com', password: 'hunter2-but-longer', name: 'Bob' };
    const first = world.client();
    const logins: unknown[] = [];
    first.on('login', ({ user }) => logins.push(user));

    const registered = await first.register(account);
    expect(registered?.user).toMatchObject({ email: account.email, name: 'Bob' });
    expect(first.getState().status).toBe('authenticated');
    expect(logins).toHaveLength(1);
    expect(world.auth.stats.registrations).toBe(1);

    await first.logout();
    const session = await world.client().login({ email: account.email, password: account.password });
    expect(session.user).toMatchObject({ email: account.email });
    expect(world.auth.stats.logins).toBe(1);
  });

  it('register resolves null when the server issues no token', async () => {
    world.server.use(http.post(`${API}/auth/register`, () => new HttpResponse(null, { status: 201 })));
    const auth = world.client();
    expect(await auth.register({ email: 'c@example.com', password: 'long-enough-pw' })).toBeNull();
    world.server.use(http.post(`${API}/auth/register`, () => HttpResponse.json({ message: 'check your inbox' }, { status: 201 })));
    expect(await auth.register({ email: 'd@example.com', password: 'long-enough-pw' })).toBeNull();
    expect(auth.getState().status).toBe('unknown');
  });

  it('sends credentials as JSON with credentials: include', async () => {
    let seen: { credentials: string; type: string | null; body: unknown } | undefined;
    world.server.use(
      http.post(`${API}/auth/login`, async ({ request }) => {
        seen = { credentials: request.credentials, type: request.headers.get('content-type'), body: await request.clone().json() };
      }),
    );
    await world.client().login({ email: 'alice@example.com', password: 'correct-horse-battery' });
    expect(seen).toEqual({
      credentials: 'include',
      type: 'application/json',
      body: { email: 'alice@example.com', password: 'correct-horse-battery' },
    });
  });
});
