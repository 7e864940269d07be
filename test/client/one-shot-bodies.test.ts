// @vitest-environment node
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { setupWorld, USER } from '../support/world';

// Issue 8, property 9: a body that can be read only once is never replayed empty. Node's fetch
// accepts async iterables and Readables (happy-dom's does not), so this file runs in Node.
const world = setupWorld();

async function* chunks() {
  yield new TextEncoder().encode('part one, ');
  yield new TextEncoder().encode('part two');
}

describe('a 401 to a request whose body can be read only once', () => {
  it.each([
    ['an async iterable', () => chunks()],
    ['a Node Readable', () => Readable.from(['part one, ', 'part two'])],
  ])('%s: the caller gets the 401; nothing is replayed empty, and the session is refreshed for a retry', async (_name, body) => {
    const auth = world.client();
    await auth.login(USER);
    world.serverClock.skew = 400_000;

    const init = { method: 'POST', body: body() as unknown as BodyInit, duplex: 'half' } as RequestInit;
    const response = await auth.authFetch(world.echoUrl, init);

    expect(response.status).toBe(401);
    expect(world.seen.map((s) => s.body)).toEqual(['part one, part two']); // sent once, whole
    expect(world.auth.stats.refreshes).toBe(1);
    world.serverClock.skew = 0;
    const retry = await auth.authFetch(world.echoUrl, { method: 'POST', body: chunks() as unknown as BodyInit, duplex: 'half' } as RequestInit);
    expect(await retry.json()).toMatchObject({ body: 'part one, part two' });
  });

  it('a ReadableStream body is still replayed whole', async () => {
    const auth = world.client();
    await auth.login(USER);
    world.serverClock.skew = 400_000;
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    const response = await auth.authFetch(world.echoUrl, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(await response.json()).toMatchObject({ body: 'streamed' });
  });
});
