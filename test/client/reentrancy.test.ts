import { delay, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API, OTHER_USER, setupWorld, USER } from '../support/world';

// Issue 8, property 7: logout() called from app code while the client is still reporting something.
const world = setupWorld();
afterEach(() => void vi.useRealTimers());

describe('logout() from inside a listener', () => {
  it('from a subscribe listener during login: login fires before logout and no timer stays armed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const auth = world.client();
    const events: string[] = [];
    auth.on('login', () => events.push('login'));
    auth.on('logout', ({ reason }) => events.push(`logout:${reason}`));
    let loggingOut: Promise<void> | undefined;
    const unsubscribe = auth.subscribe((state) => {
      if (state.status === 'authenticated') {
        unsubscribe();
        loggingOut = auth.logout();
      }
    });

    await auth.login(USER);
    await loggingOut;
    expect(world.auth.stats.logouts).toBe(1);

    expect(events).toEqual(['login', 'logout:user']);
    expect(auth.getState().status).toBe('anonymous');
    expect(vi.getTimerCount()).toBe(0); // no proactive refresh armed for the ended session
  });

  it('from a login event handler: events in order, session ended', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const auth = world.client();
    const events: string[] = [];
    const states: string[] = [];
    auth.subscribe((state) => states.push(state.status));
    let loggingOut: Promise<void> | undefined;
    auth.on('login', () => {
      events.push('login');
      loggingOut = auth.logout();
    });
    auth.on('logout', () => events.push('logout'));

    await auth.login(USER);

    expect(events).toEqual(['login', 'logout']);
    expect(states).toEqual(['authenticated', 'anonymous']);
    await loggingOut; // its call to the server has a timeout timer of its own while it is out
    expect(vi.getTimerCount()).toBe(0); // and no refresh timer was left armed for the ended session
  });

  it('from a subscribe listener during a refresh: no timer stays armed for the ended session', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const auth = world.client();
    await auth.login(USER);
    const expiresAt = auth.getState().expiresAt;
    let loggingOut: Promise<void> | undefined;
    auth.subscribe((state) => {
      if (state.status === 'authenticated' && state.expiresAt !== expiresAt) loggingOut = auth.logout();
    });
    const events: string[] = [];
    auth.on('refresh', () => events.push('refresh'));
    auth.on('logout', () => events.push('logout'));

    vi.setSystemTime(Date.now() + 1_000); // a later token has a later expiry
    await auth.refresh();
    await loggingOut;

    expect(events).toEqual(['refresh', 'logout']);
    expect(auth.getState().status).toBe('anonymous');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('two logins in flight and a logout()', () => {
  it('ends both sessions and revokes both at the server', async () => {
    const revoked: string[] = [];
    world.server.use(
      http.post(`${API}/auth/login`, async () => void (await delay(30))),
      http.post(`${API}/auth/logout`, ({ cookies }) => void (cookies['tk_refresh'] && revoked.push(cookies['tk_refresh']))),
    );
    const auth = world.client();
    const events: string[] = [];
    auth.on('login', ({ user }) => events.push(`login:${(user as { email: string }).email}`));
    auth.on('logout', ({ reason }) => events.push(`logout:${reason}`));

    const first = auth.login(USER);
    const second = auth.login(OTHER_USER);
    await auth.logout();
    await Promise.all([first, second]);
    await delay(50);

    expect(auth.getState().status).toBe('anonymous');
    expect(events).toEqual([`login:${USER.email}`, 'logout:user', `login:${OTHER_USER.email}`, 'logout:user']);
    expect(world.auth.stats.logins).toBe(2);
    // Each login's own refresh token was presented to the logout endpoint, which revokes its family.
    expect(new Set(revoked).size).toBe(2);
    expect(await world.client().restore()).toBeNull();
  });
});
