import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, FOREIGN, setupWorld, USER } from '../support/world';

// Issue 8, property 4: a 401 that came through a redirect to another origin is not about our
// token (the platform strips Authorization on a cross-origin redirect): no refresh, no replay.
const world = setupWorld();

describe('a 401 behind a cross-origin redirect', () => {
  it('triggers no refresh and no replay, so a POST is never sent twice', async () => {
    let charges = 0;
    world.server.use(
      http.post(`${API}/api/charge`, () => {
        charges++;
        return new HttpResponse(null, { status: 303, headers: { Location: `${FOREIGN}/receipt` } });
      }),
    );
    const auth = world.client();
    await auth.login(USER);

    const response = await auth.authFetch(`${API}/api/charge`, { method: 'POST', body: 'charge card' });

    expect(response.status).toBe(401);
    expect(response.redirected).toBe(true);
    expect(charges).toBe(1);
    expect(world.seen.filter((s) => s.url === `${FOREIGN}/receipt`)).toHaveLength(1);
    expect(world.auth.stats.refreshes).toBe(0);
  });

  it('a same-origin redirect keeps the token, so its 401 is still refreshed and replayed once', async () => {
    world.server.use(
      http.get(`${API}/api/moved`, () => new HttpResponse(null, { status: 302, headers: { Location: `${API}/api/echo` } })),
    );
    const auth = world.client();
    await auth.login(USER);
    world.serverClock.skew = 400_000;

    const response = await auth.authFetch(`${API}/api/moved`);

    expect(response.status).toBe(200);
    expect(world.auth.stats.refreshes).toBe(1);
  });
});
