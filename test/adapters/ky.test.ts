import ky, { HTTPError } from 'ky';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { createAuthKy } from 'tokenkeeper/ky';
import { API, FOREIGN, setupWorld, USER } from '../support/world';

// tokenkeeper/ky: ky on top of authFetch; ky's own features must keep working, and must not add refreshes.
const world = setupWorld();
const noDelay = { delay: () => 0 };

/** A GET endpoint whose answers are scripted per call; records the Authorization of each call. */
const scripted = (path: string, statuses: number[]) => {
  const calls: (string | null)[] = [];
  world.server.use(
    http.get(`${API}${path}`, ({ request }) => {
      calls.push(request.headers.get('authorization'));
      const status = statuses[calls.length - 1] ?? 200;
      return HttpResponse.json({ call: calls.length }, { status });
    }),
  );
  return calls;
};

describe('createAuthKy', () => {
  it('replays a post().json() with its JSON body after the one refresh a 401 earns', async () => {
    const auth = world.client();
    await auth.login(USER);
    world.serverClock.skew = 400_000; // the server now calls the token expired; the client does not know
    const api = createAuthKy(auth, { prefixUrl: `${API}/api` });

    const answer = await api.post('echo', { json: { order: 42 } }).json();

    expect(answer).toEqual({ method: 'POST', body: '{"order":42}', contentType: 'application/json' });
    expect(world.auth.stats.refreshes).toBe(1);
    const [first, replay] = world.seen;
    expect(world.seen).toHaveLength(2);
    expect(replay?.body).toBe(first?.body);
    expect(replay?.authorization).toMatch(/^Bearer /);
    expect(replay?.authorization).not.toBe(first?.authorization);
  });

  it('never lets ky retry a 401 into more refreshes, even when told to retry 401s', async () => {
    const auth = world.client();
    await auth.login(USER);
    const calls = scripted('/api/forbidden', [401, 401, 401, 401, 401, 401, 401, 401]);
    const api = createAuthKy(auth, { retry: { limit: 3, statusCodes: [401, 503], ...noDelay } });

    const error = await api.get(`${API}/api/forbidden`).json().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HTTPError);
    expect((error as HTTPError).response.status).toBe(401);
    expect(calls).toHaveLength(2); // the request and authFetch's one replay
    expect(world.auth.stats.refreshes).toBe(1);
  });

  it('(control) a plain ky over authFetch would refresh once per ky retry', async () => {
    const auth = world.client();
    await auth.login(USER);
    scripted('/api/forbidden', [401, 401, 401, 401, 401, 401, 401, 401]);
    const naive = ky.create({ fetch: auth.authFetch, retry: { limit: 3, statusCodes: [401], ...noDelay } });
    await naive.get(`${API}/api/forbidden`).catch(() => {});
    expect(world.auth.stats.refreshes).toBe(4);
  });

  it("retries a 503 with ky's retry, reusing the refreshed token", async () => {
    const auth = world.client();
    await auth.login(USER);
    const calls = scripted('/api/flaky', [401, 503, 200]);
    const api = createAuthKy(auth, { retry: { limit: 3, ...noDelay } }); // 503 is one of ky's default retry codes

    expect(await api.get(`${API}/api/flaky`).json()).toEqual({ call: 3 });
    expect(world.auth.stats.refreshes).toBe(1);
    expect(calls[2]).toBe(calls[1]);
    expect(calls[1]).not.toBe(calls[0]);
  });

  it("runs ky's hooks: beforeRequest headers reach the server, afterResponse sees only the final answer", async () => {
    const auth = world.client();
    await auth.login(USER);
    world.serverClock.skew = 400_000;
    const statuses: number[] = [];
    const api = createAuthKy(auth, {
      hooks: {
        beforeRequest: [(request) => request.headers.set('X-Trace', 'abc')],
        afterResponse: [(_request, _options, response) => void statuses.push(response.status)],
      },
    });
    let trace: string | null = null;
    world.server.use(
      http.post(world.echoUrl, ({ request }) => {
        trace = request.headers.get('x-trace');
      }),
    );

    expect(await api.post(world.echoUrl, { json: { a: 1 } }).json()).toMatchObject({ body: '{"a":1}' });
    expect(trace).toBe('abc'); // seen on the replay, so the hook's header survives it
    expect(statuses).toEqual([200]);
    expect(world.auth.stats.refreshes).toBe(1);
  });

  it('keeps extend() working and its retries still never retry a 401', async () => {
    const auth = world.client();
    await auth.login(USER);
    const calls = scripted('/api/forbidden', [401, 401, 401, 401]);
    const beforeRetry = vi.fn();
    const api = createAuthKy(auth).extend({ retry: { limit: 2, statusCodes: [401], ...noDelay }, hooks: { beforeRetry: [beforeRetry] } });

    await expect(api.get(`${API}/api/forbidden`)).rejects.toBeInstanceOf(HTTPError);
    expect(calls).toHaveLength(2);
    expect(beforeRetry).not.toHaveBeenCalled();
    expect(world.auth.stats.refreshes).toBe(1);
  });

  it('sends no Authorization to another origin, and its 401 triggers nothing', async () => {
    const auth = world.client();
    await auth.login(USER);
    const api = createAuthKy(auth);

    const response = await api.get(`${FOREIGN}/data`, { throwHttpErrors: false });

    expect(response.status).toBe(401);
    expect(world.seen).toEqual([expect.objectContaining({ url: `${FOREIGN}/data`, authorization: null })]);
    expect(world.auth.stats.refreshes).toBe(0);
  });
});
