import { delay, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, OTHER_USER, setupWorld, USER } from '../support/world';
import { useSimulatedTabs } from '../support/tabs';

// Issue 8, property 3: a refresh that starts while a login is on its way waits for it, so the
// cookie left in the browser always belongs to the session in getState().
const world = setupWorld();
const { delivered } = useSimulatedTabs();

/** The login answers after 50 ms; a refresh that went out meanwhile would answer after 100 ms, so its cookie would land last. */
function slowServer() {
  world.server.use(
    http.post(`${API}/auth/login`, async () => void (await delay(50))),
    http.post(`${API}/auth/refresh-token`, async () => void (await delay(100))),
  );
}

/** Two tabs sharing the channel and the lock, signed in as Alice, on a slow server. */
async function twoTabsSignedIn() {
  const tabs = [world.client({ crossTab: true }), world.client({ crossTab: true })] as const;
  await tabs[0].login(USER);
  await tabs[1].restore();
  slowServer();
  return tabs;
}

const reloadedUser = async () => (await world.client().restore())?.user as { email?: string } | undefined;

describe('login and refresh never interleave', () => {
  it('a refresh() asked for during an account switch waits for it, and a reload restores the new user', async () => {
    const auth = world.client();
    await auth.login(USER);
    slowServer();
    const refreshesBefore = world.auth.stats.refreshes;

    const switching = auth.login(OTHER_USER);
    const refreshed = auth.refresh();
    await switching;
    const session = await refreshed;

    expect(session.user).toMatchObject({ email: OTHER_USER.email });
    expect(auth.getState().user).toMatchObject({ email: OTHER_USER.email });
    expect(world.auth.stats.refreshes - refreshesBefore).toBe(0); // it found the login's fresh token
    expect((await reloadedUser())?.email).toBe(OTHER_USER.email);
  });

  it('a 401 during a login waits for it too', async () => {
    const auth = world.client();
    await auth.login(USER);
    world.serverClock.skew = 400_000;
    slowServer();

    const switching = auth.login(OTHER_USER);
    const request = auth.authFetch(world.echoUrl);
    await switching;
    await request;
    world.serverClock.skew = 0;

    expect(auth.getState().user).toMatchObject({ email: OTHER_USER.email });
    expect((await reloadedUser())?.email).toBe(OTHER_USER.email);
  });

  it('across tabs: a refresh in one tab waits for a login in another (the same lock)', async () => {
    const [tabA, tabB] = await twoTabsSignedIn();

    const switching = tabA.login(OTHER_USER);
    await delay(5);
    const refreshing = tabB.refresh();
    await switching;
    await refreshing;
    await delivered();

    for (const tab of [tabA, tabB]) expect(tab.getState().user).toMatchObject({ email: OTHER_USER.email });
    expect((await reloadedUser())?.email).toBe(OTHER_USER.email);
    expect(world.auth.stats.reuseDetected).toBe(0);
  });

  it('across tabs: a logout asked for before another tab’s login never revokes that login’s session', async () => {
    const [tabA, tabB] = await twoTabsSignedIn();

    const restoring = tabA.restore(); // holds the lock for a while
    const loggingOut = tabA.logout(); // asked for now: its server call must come before anything asked later
    await delay(5);
    const switching = tabB.login(OTHER_USER);
    await Promise.all([restoring.catch(() => null), loggingOut, switching]);
    await delivered();

    for (const tab of [tabA, tabB]) expect(tab.getState().user).toMatchObject({ email: OTHER_USER.email });
    expect((await reloadedUser())?.email).toBe(OTHER_USER.email); // the cookie still holds Carol's session
  });

  it('across tabs: a logout after a closed tab’s login went out ends the session that login brings, in every tab', async () => {
    const [tabA, tabB] = await twoTabsSignedIn();
    const tabC = world.client({ crossTab: true });
    await tabC.restore();

    const switching = tabC.login(OTHER_USER); // at the server for 50 ms
    await delay(5);
    tabC.dispose(); // the tab is closed: it hears no logout, yet its login lands and is told to the others
    const loggingOut = tabA.logout(); // asked for after that login: the user's last word
    await Promise.all([switching.catch(() => null), loggingOut]);
    await delivered();

    for (const tab of [tabA, tabB]) expect(tab.getState().status).toBe('anonymous');
    expect(await reloadedUser()).toBeUndefined(); // the logout revoked the cookie's session: Carol's
  });
});
