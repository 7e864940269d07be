// The scenarios every recipe must pass against its server's mock, configured only as the README says.
import type { RequestHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthClient, isAuthError, type AuthClient, type AuthClientOptions, type AuthErrorCode } from 'tokenkeeper';
import { freshOrigin, type RecipeUser, type ServerClock } from './support';

/** A mocked server, as the scenarios drive it. */
export interface RecipeMock {
  handlers: RequestHandler[];
  clock: ServerClock;
  /** A call of the server's own API that needs the access token. */
  protectedUrl: string;
  /** The status of every refresh call, in order. */
  refreshStatuses: number[];
  /** Sessions the server would still renew (refresh tokens, session rows). */
  liveSessions(): number;
  /** Signs the user in on another device. */
  otherDevice(): Promise<void>;
}

export interface RecipeSpec {
  /** The server's name, for test titles and origins. */
  name: string;
  create(baseUrl: string): RecipeMock;
  /** The recipe, exactly as the README shows it. */
  options: Omit<AuthClientOptions, 'baseUrl'>;
  user: RecipeUser;
  /** Seconds an access token lives on this server. */
  accessTokenTtl: number;
  /** What the server answers a refresh without a cookie. */
  noCookieStatus: number;
  /** The code a wrong password rejects with (the server's status, through the status table). */
  wrongPassword: AuthErrorCode;
  /** The signed-in user's email, read from the protected call's answer. */
  emailOf(body: unknown): unknown;
  /** Whether the server can end every session of the user. */
  everywhere: boolean;
  /** Whether logout names the session by the cookie alone (`bearer: false`), so a token the server already refuses cannot spoil it. */
  cookieOnlyLogout: boolean;
}

/** Runs the shared scenarios; returns the current test's mock and a client factory for server-specific tests. */
export function describeRecipe(spec: RecipeSpec) {
  const server = setupServer();
  const state = { mock: undefined as unknown as RecipeMock, baseUrl: '' };
  const clients: AuthClient[] = [];
  // crossTab off: each test's clients are separate tabs that share nothing but the cookie jar.
  const client = () => {
    const created = createAuthClient({ baseUrl: state.baseUrl, ...spec.options, crossTab: false });
    clients.push(created);
    return created;
  };
  const credentials = { email: spec.user.email, password: spec.user.password };
  const protectedCall = async (auth: AuthClient) => {
    const response = await auth.authFetch(state.mock.protectedUrl);
    return { status: response.status, email: response.ok ? spec.emailOf(await response.json()) : undefined };
  };

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    state.baseUrl = freshOrigin(spec.name);
    state.mock = spec.create(state.baseUrl);
    server.use(...state.mock.handlers);
  });
  afterEach(() => {
    vi.useRealTimers();
    server.resetHandlers();
    for (const created of clients.splice(0)) created.dispose();
  });
  afterAll(() => server.close());

  describe(`${spec.name}: the README recipe`, () => {
    it(`restore() on a first visit resolves null (the server answers ${spec.noCookieStatus} without a cookie)`, async () => {
      const auth = client();
      await expect(auth.restore()).resolves.toBeNull();
      expect(state.mock.refreshStatuses).toEqual([spec.noCookieStatus]);
      expect(auth.getState().status).toBe('anonymous');
    });

    it('login, then authFetch carries the token where the server reads it', async () => {
      const auth = client();
      await auth.login(credentials);
      expect(auth.getState().status).toBe('authenticated');
      expect(await protectedCall(auth)).toEqual({ status: 200, email: spec.user.email });
    });

    it(`a wrong password rejects with ${spec.wrongPassword}`, async () => {
      const error = await client().login({ ...credentials, password: 'wrong-password' }).catch((e: unknown) => e);
      expect(isAuthError(error) && error.code).toBe(spec.wrongPassword);
    });

    it('a 401 from the server costs one refresh and one replay', async () => {
      const auth = client();
      await auth.login(credentials);
      const before = state.mock.refreshStatuses.length;
      state.mock.clock.skew = (spec.accessTokenTtl + 60) * 1000; // the server calls the token expired; the client does not know

      expect(await protectedCall(auth)).toEqual({ status: 200, email: spec.user.email });
      expect(state.mock.refreshStatuses.slice(before)).toEqual([200]);
    });

    it('a reload restores the session from the cookie alone', async () => {
      await client().login(credentials);

      const reloaded = client();
      const session = await reloaded.restore();

      expect(session).not.toBeNull();
      expect(reloaded.getState().status).toBe('authenticated');
      expect(await protectedCall(reloaded)).toEqual({ status: 200, email: spec.user.email });
    });

    it('logout ends the session at the server, and the next visit restores nothing', async () => {
      const auth = client();
      await auth.login(credentials);
      expect(state.mock.liveSessions()).toBe(1);

      await auth.logout();

      expect(auth.getState().status).toBe('anonymous');
      expect(state.mock.liveSessions()).toBe(0);
      await expect(client().restore()).resolves.toBeNull();
    });

    it('logout after the access token expired still ends the session at the server', async () => {
      const auth = client();
      await auth.login(credentials);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + (spec.accessTokenTtl + 60) * 1000); // both clocks: the tab slept

      await auth.logout();

      expect(state.mock.liveSessions()).toBe(0);
    });

    if (spec.cookieOnlyLogout) {
      it('logout ends the session even when the server already calls the token expired', async () => {
        const auth = client();
        await auth.login(credentials);
        state.mock.clock.skew = (spec.accessTokenTtl + 60) * 1000; // a bearer would be refused with a 401

        await auth.logout();

        expect(state.mock.liveSessions()).toBe(0);
      });
    }

    if (spec.everywhere) it('logout({ everywhere: true }) ends the sessions of every device', async () => {
      const auth = client();
      await auth.login(credentials);
      await state.mock.otherDevice();
      expect(state.mock.liveSessions()).toBe(2);

      await auth.logout({ everywhere: true });

      expect(state.mock.liveSessions()).toBe(0);
    });
  });

  return {
    server,
    client,
    credentials,
    get mock() {
      return state.mock;
    },
    get baseUrl() {
      return state.baseUrl;
    },
  };
}
