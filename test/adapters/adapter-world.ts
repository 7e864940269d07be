import { http, HttpResponse } from 'msw';
import { beforeEach } from 'vitest';
import type { AuthClientOptions, AuthUser } from 'tokenkeeper';
import { API, setupWorld, USER } from '../support/world';

/**
 * The world of the React and Vue adapter tests: the mock server, plus ways to leave a refresh
 * cookie behind as a previous visit would, and to make the refresh endpoint fail or wait.
 */
export function setupAdapterWorld() {
  const world = setupWorld();
  const failed = { calls: 0 };
  const sent: string[] = [];
  beforeEach(() => {
    failed.calls = 0;
    sent.length = 0;
  });
  const answerRefreshes = (answer: () => Response | Promise<Response>) =>
    world.server.use(http.post(`${API}/auth/refresh-token`, answer));
  const refreshUrl = `${API}/auth/refresh-token`;
  return {
    ...world,
    /** A client whose calls are noted as they go out, for {@link refreshesSent}. */
    client: <TUser = AuthUser>(options: Partial<AuthClientOptions<TUser>> = {}) =>
      world.client<TUser>({ fetch: (input, init) => (sent.push(String(input)), fetch(input, init)), ...options }),
    /** Refreshes the server counted, accepted or refused. */
    refreshCalls: () => world.auth.stats.refreshes + world.auth.stats.rejectedRefreshes,
    /** Refresh calls the clients sent, answered or not. */
    refreshesSent: () => sent.filter((url) => url === refreshUrl).length,
    /**
     * One turn of the event loop. A client that decided to refresh has called fetch by then (it
     * does within microtasks), so "no refresh" is judged by {@link refreshesSent} after this, at the
     * client: no sleep has to outlast a loaded machine for the request to reach the server.
     */
    aTurnLater: () => new Promise((resolve) => setTimeout(resolve, 0)),
    /** Calls answered by {@link failRefreshes}. */
    failed,
    /** Answers every refresh with `answer()` (a 5xx, `HttpResponse.error()`) until `server.resetHandlers()`. */
    failRefreshes: (answer: () => Response) => answerRefreshes(() => (failed.calls++, answer())),
    /** Holds every refresh until the returned function is called, then refuses it (no session). */
    holdRefreshes() {
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      answerRefreshes(async () => (await held, HttpResponse.json({ error: 'no_session' }, { status: 401 })));
      return release;
    },
    /** Leaves a valid refresh cookie in the jar, as a previous visit would. */
    async signedInBefore() {
      const previous = world.client();
      await previous.login(USER);
      previous.dispose();
    },
  };
}
