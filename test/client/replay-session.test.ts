import { http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { API, OTHER_USER, setupWorld, USER } from '../support/world';
import { useSimulatedTabs } from '../support/tabs';
import { HANG_MS } from '../support/outcome';

// Issue 8, property 2: a 401'd request is replayed only inside the session it was sent in.
const world = setupWorld();
const { delivered } = useSimulatedTabs();

const subjectOf = (authorization: string | null | undefined) =>
  authorization ? (JSON.parse(atob(authorization.split('.')[1]!)) as { email: string }).email : null;

/**
 * Until the client got its 401 and waits for a refresh (the `debug` sink says so). Waiting for the
 * server to have recorded the request is not enough: it judges the token after that, and a test
 * that puts the server's clock back meanwhile turns the 401 into a 200.
 */
const waitingAfter401 = (log: string[]) => vi.waitFor(() => expect(log).toContain('401: refreshing'), { timeout: HANG_MS });

describe('a request waiting for its refresh', () => {
  it('is not replayed under another account when the user switches accounts meanwhile', async () => {
    const log: string[] = [];
    const auth = world.client({ debug: ({ message }) => log.push(message) });
    await auth.login(USER);
    world.serverClock.skew = 400_000; // Alice's token is now refused
    const logins = world.hold(`${API}/auth/login`); // logins held at the server until opened
    const switching = auth.login(OTHER_USER); // on its way

    const transfer = auth.authFetch(world.echoUrl, { method: 'POST', body: 'pay 100' });
    await waitingAfter401(log); // sent with Alice's token, refused, now waiting
    world.serverClock.skew = 0;
    logins.open();
    await switching;

    const response = await transfer;
    expect(response.status).toBe(401); // the caller gets its original 401
    expect(world.seen.filter((s) => s.body === 'pay 100').map((s) => subjectOf(s.authorization))).toEqual([USER.email]);
    expect(auth.getState().user).toMatchObject({ email: OTHER_USER.email });
  });

  it('is not replayed after a logout and a new login of the same user', async () => {
    const auth = world.client();
    await auth.login(USER);
    world.serverClock.skew = 400_000;
    const logins = world.hold(`${API}/auth/login`); // logins held at the server until opened
    const loggingOut = auth.logout();
    const again = auth.login(USER); // signing in again, on its way

    const pending = auth.authFetch(world.echoUrl, { method: 'POST', body: 'order' });
    world.serverClock.skew = 0;
    logins.open();
    await Promise.all([loggingOut, again]);

    expect((await pending).status).toBe(401);
    expect(world.seen.filter((s) => s.body === 'order')).toHaveLength(1);
  });

  it('is not replayed when another tab switches accounts', async () => {
    const log: string[] = [];
    const tabA = world.client({ crossTab: true, debug: ({ message }) => log.push(message) });
    const tabB = world.client({ crossTab: true });
    await tabB.restore(); // listening
    await tabA.login(USER);
    await delivered();
    world.serverClock.skew = 400_000;
    const logins = world.hold(`${API}/auth/login`); // logins held at the server until opened
    const switching = tabB.login(OTHER_USER); // holds the lock the tabs share

    const pending = tabA.authFetch(world.echoUrl, { method: 'POST', body: 'from A' });
    await waitingAfter401(log);
    world.serverClock.skew = 0;
    logins.open();
    await switching;

    expect((await pending).status).toBe(401);
    expect(world.seen.filter((s) => s.body === 'from A').map((s) => subjectOf(s.authorization))).toEqual([USER.email]);
    await delivered();
    expect(tabA.getState().user).toMatchObject({ email: OTHER_USER.email });
  });

  it('is not replayed when a window that shares no channel signed in as someone else (the cookie followed)', async () => {
    const windowA = world.client(); // crossTab off: the two windows cannot tell each other
    const windowB = world.client();
    await windowA.login(USER);
    await windowB.login(OTHER_USER); // the shared cookie now holds Carol's session
    world.serverClock.skew = 400_000;
    const logins: unknown[] = [];
    windowA.on('login', ({ user }) => logins.push(user));

    const response = await windowA.authFetch(world.echoUrl, { method: 'POST', body: 'alice pays' });

    expect(response.status).toBe(401); // its refresh brought Carol's token: not Alice's request to make
    expect(world.seen.filter((s) => s.body === 'alice pays').map((s) => subjectOf(s.authorization))).toEqual([USER.email]);
    expect(windowA.getState().user).toMatchObject({ email: OTHER_USER.email }); // a new session, announced
    expect(logins).toEqual([expect.objectContaining({ email: OTHER_USER.email })]);
  });

  // Issue 17, property 2: the tab whose refresh brought the other account's token tells its tabs
  // of a new session, not a refresh, so none of them replays a request of the old one.
  it('is not replayed in a tab whose sibling tab refreshed into another account', async () => {
    const tabA = world.client({ crossTab: true });
    const tabB = world.client({ crossTab: true });
    await tabB.restore(); // listening
    await tabA.login(USER);
    await vi.waitFor(() => expect(tabB.getState().status).toBe('authenticated'));
    const elsewhere = world.client(); // a window that shares no channel
    await elsewhere.login(OTHER_USER); // the shared cookie now holds Carol's session
    world.serverClock.skew = 400_000; // Alice's token is refused from now on
    const logins: unknown[] = [];
    tabB.on('login', ({ user }) => logins.push(user));
    let answer = () => {};
    const answered = new Promise<void>((resolve) => (answer = resolve));
    world.server.use(
      http.post(world.echoUrl, async () => {
        await answered; // tab B's request is at the server while tab A refreshes
        return undefined;
      }),
    );

    const pending = tabB.authFetch(world.echoUrl, { method: 'POST', body: 'alice pays' });
    await tabA.refresh(); // brings Carol's token, and tells tab B
    await vi.waitFor(() => expect(tabB.getState().user).toMatchObject({ email: OTHER_USER.email }));
    answer();

    expect((await pending).status).toBe(401); // Alice's request ends with her refused token
    expect(world.seen.filter((s) => s.body === 'alice pays').map((s) => subjectOf(s.authorization))).toEqual([USER.email]);
    expect(logins).toEqual([expect.objectContaining({ email: OTHER_USER.email })]); // announced as a new session
  });

  it('is still replayed after an ordinary refresh within the same session', async () => {
    const auth = world.client();
    await auth.login(USER);
    world.serverClock.skew = 400_000;
    const response = await auth.authFetch(world.echoUrl, { method: 'POST', body: 'same session' });
    expect(response.status).toBe(200);
    expect(world.seen.map((s) => subjectOf(s.authorization))).toEqual([USER.email, USER.email]);
  });
});
