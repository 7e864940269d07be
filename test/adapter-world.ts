import { http, HttpResponse } from 'msw';
import { beforeEach } from 'vitest';
import { API, setupWorld, USER } from './support/world';

/**
 * The world of the React and Vue adapter tests: the mock server, plus ways to leave a refresh
 * cookie behind as a previous visit would, and to make the refresh endpoint fail or wait.
 */
export function setupAdapterWorld() {
  const world = setupWorld();
  const failed = { calls: 0 };
  beforeEach(() => void (failed.calls = 0));
  const answerRefreshes = (answer: () => Response | Promise<Response>) =>
    world.server.use(http.post(`${API}/auth/refresh-token`, answer));
  return {
    ...world,
    /** Refreshes the server counted, accepted or refused. */
    refreshCalls: () => world.auth.stats.refreshes + world.auth.stats.rejectedRefreshes,
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
