import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, setupWorld, USER } from '../support/world';

// logout(): memory first, then the server; never rejects.
const world = setupWorld();

describe('logout()', () => {
  it('clears memory and fires logout before the server answers, then revokes the cookie', async () => {
    const auth = world.client();
    await auth.login(USER);
    let seenByServer: string | null = null;
    world.server.use(
      http.post(`${API}/auth/logout`, async ({ request }) => {
        seenByServer = request.headers.get('authorization');
        await delay(100);
      }),
    );
    const events: string[] = [];
    auth.onLogout(({ reason }) => events.push(reason));

    const done = auth.logout();
    expect(auth.getState().status).toBe('anonymous'); // synchronously, before any await
    expect(events).toEqual(['user']);
    expect(await auth.getAccessToken()).toBeNull();
    await done;

    expect(seenByServer).toMatch(/^Bearer ey/);
    expect(world.auth.stats.logouts).toBe(1);
    expect(await world.client().restore()).toBeNull(); // the cookie no longer restores anything
  });

  it('resolves while offline, keeps memory clear and reports the failure', async () => {
    const auth = world.client();
    await auth.login(USER);
    world.server.use(http.post(`${API}/auth/logout`, () => HttpResponse.error()));
    const errors: string[] = [];
    auth.on('error', ({ error }) => errors.push(error.code));

    await expect(auth.logout()).resolves.toBeUndefined();
    expect(auth.getState().status).toBe('anonymous');
    expect(errors).toEqual(['network']);
  });

  it('while anonymous still calls the server but fires nothing', async () => {
    const auth = world.client();
    const events: string[] = [];
    auth.onLogout(({ reason }) => events.push(reason));
    await auth.logout();
    expect(world.auth.stats.logouts).toBe(1);
    expect(events).toEqual([]);
  });

  it('everywhere asks the server to revoke every session of the user', async () => {
    const auth = world.client();
    await auth.login(USER);
    let sent: { body: unknown; authorization: string | null } | undefined;
    world.server.use(
      http.post(`${API}/auth/logout`, async ({ request }) => {
        sent = { body: await request.clone().json(), authorization: request.headers.get('authorization') };
      }),
    );
    await auth.logout({ everywhere: true });
    expect(sent).toEqual({ body: { everywhere: true }, authorization: expect.stringMatching(/^Bearer ey/) });
  });

  it('a refresh that lands after logout does not bring the session back', async () => {
    const auth = world.client();
    await auth.login(USER);
    world.server.use(
      http.post(`${API}/auth/refresh-token`, async () => {
        await delay(100);
      }),
    );
    const refreshing = expect(auth.refresh()).rejects.toMatchObject({ code: 'unauthorized' });
    await delay(20);
    await auth.logout(); // its server call waits for the refresh, so it sends the newest cookie
    await refreshing;
    expect(auth.getState().status).toBe('anonymous');
    expect(await auth.getAccessToken()).toBeNull();
  });
});

describe('logout() racing a login', () => {
  it('ends the session the login brings and revokes it at the server', async () => {
    const auth = world.client();
    const events: string[] = [];
    auth.on('login', () => events.push('login'));
    auth.onLogout(({ reason }) => events.push(`logout:${reason}`));

    const loggingIn = auth.login(USER);
    await auth.logout(); // clicked before the login answered

    await loggingIn;
    expect(auth.getState().status).toBe('anonymous');
    expect(await auth.getAccessToken()).toBeNull();
    expect(events).toEqual(['login', 'logout:user']);
    expect(await world.client().restore()).toBeNull(); // the login's cookie was revoked too
  });
});
