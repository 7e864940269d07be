import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, setupWorld, USER } from '../support/world';

// Rule 3: a 401 to a request that carried our token gets one shared refresh and one replay.
const world = setupWorld();

describe('authFetch on a 401', () => {
  it('refreshes once and replays the request with its method, body and headers intact', async () => {
    const auth = world.client();
    await auth.login(USER);
    world.serverClock.skew = 400_000; // the server now calls the token expired; the client does not know

    const response = await auth.authFetch(world.echoUrl, {
      method: 'POST',
      body: JSON.stringify({ order: 42 }),
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'abc' },
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ method: 'POST', body: '{"order":42}', contentType: 'application/json' });
    expect(world.auth.stats.refreshes).toBe(1);
    const [first, replay] = world.seen;
    expect(world.seen).toHaveLength(2);
    expect(replay?.body).toBe(first?.body);
    expect(replay?.authorization).not.toBe(first?.authorization);
  });

  it('replays a stream-free FormData and URLSearchParams body', async () => {
    const auth = world.client();
    await auth.login(USER);
    world.serverClock.skew = 400_000;
    const response = await auth.authFetch(world.echoUrl, { method: 'POST', body: new URLSearchParams({ a: '1', b: '2' }) });
    expect(await response.json()).toMatchObject({ body: 'a=1&b=2' });
  });

  it('replays a Request object and a streamed body intact', async () => {
    const auth = world.client();
    await auth.login(USER);
    world.serverClock.skew = 400_000;
    const fromRequest = await auth.authFetch(new Request(world.echoUrl, { method: 'PUT', body: 'from a Request' }));
    expect(await fromRequest.json()).toMatchObject({ method: 'PUT', body: 'from a Request' });

    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    const init = { method: 'POST', body: stream, duplex: 'half' } as RequestInit;
    const fromStream = await auth.authFetch(world.echoUrl, init);
    expect(await fromStream.json()).toMatchObject({ method: 'POST', body: 'streamed' });
    expect(world.auth.stats.refreshes).toBe(1);
    expect(world.seen.map((s) => s.body)).toEqual(['from a Request', 'from a Request', 'streamed']);
  });

  it('never retries twice: a second 401 goes back to the caller', async () => {
    const auth = world.client();
    await auth.login(USER);
    world.server.use(http.get(world.echoUrl, () => HttpResponse.json({ error: 'still no' }, { status: 401 })));

    const response = await auth.authFetch(world.echoUrl);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'still no' });
    expect(world.seen).toHaveLength(0);
    expect(world.auth.stats.refreshes).toBe(1);
    expect(auth.getState().status).toBe('authenticated');
  });

  it('skips the refresh when the token changed while the request was out', async () => {
    const auth = world.client();
    await auth.login(USER);
    let release!: () => void;
    let arrived!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const atServer = new Promise<void>((resolve) => (arrived = resolve));
    world.server.use(
      http.get(`${API}/api/slow`, async () => {
        arrived();
        await held;
        return HttpResponse.json({ error: 'expired' }, { status: 401 });
      }),
    );
    const slow = auth.authFetch(`${API}/api/slow`);
    await atServer; // out with the old token
    await auth.refresh(); // someone else already got a new token
    expect(world.auth.stats.refreshes).toBe(1);
    world.server.use(http.get(`${API}/api/slow`, ({ request }) => HttpResponse.json({ auth: request.headers.get('authorization') })));
    release();

    const response = await slow;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ auth: `Bearer ${await auth.getAccessToken()}` });
    expect(world.auth.stats.refreshes).toBe(1);
  });
});
