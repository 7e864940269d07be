// @vitest-environment node
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createAuthKy } from 'tokenkeeper/ky';
import { FOREIGN, setupWorld, USER } from '../support/world';

// Issue 17, property 1: every body kind, as a Request or as (url, init), to an authorized origin
// (refreshed and replayed after a 401) and to any other (untouched, no token), arrives whole.
// Node's own Request and fetch, as Chromium's: a Request that was read is refused at the next use.
const world = setupWorld();

const stream = () =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('streamed body'));
      controller.close();
    },
  });
const form = () => {
  const data = new FormData();
  data.set('field', 'form body');
  return data;
};

/** Each body kind, and what a server reads of it. */
const BODIES: Array<[kind: string, make: () => BodyInit, read: RegExp]> = [
  ['a string', () => 'text body', /^text body$/],
  ['URLSearchParams', () => new URLSearchParams({ field: 'params body' }), /^field=params\+body$/],
  ['FormData', form, /name="field"\r\n\r\nform body\r\n/],
  ['a Blob', () => new Blob(['blob body']), /^blob body$/],
  ['an ArrayBuffer', () => new TextEncoder().encode('buffer body').buffer as ArrayBuffer, /^buffer body$/],
  ['a Uint8Array', () => new TextEncoder().encode('bytes body'), /^bytes body$/],
  ['a ReadableStream', stream, /^streamed body$/],
];
const FORMS = ['Request', '(url, init)'] as const;
const ORIGINS = ['authorized', 'foreign'] as const;

const cases = BODIES.flatMap(([kind, make, read]) => FORMS.flatMap((form) => ORIGINS.map((origin) => ({ kind, make, read, form, origin }))));

describe('authFetch sends every body kind whole, in either form, to any origin', () => {
  it.each(cases)('$kind as $form to an $origin origin', async ({ make, read, form, origin }) => {
    const auth = world.client();
    await auth.login(USER);
    if (origin === 'authorized') world.serverClock.skew = 400_000; // the first send earns a 401, then a replay
    const url = origin === 'authorized' ? world.echoUrl : `${FOREIGN}/upload`;
    const init = { method: 'POST', body: make(), duplex: 'half' } as RequestInit;

    const response = form === 'Request' ? await auth.authFetch(new Request(url, init)) : await auth.authFetch(url, init);

    const sent = world.seen.filter((seen) => seen.url === url);
    if (origin === 'foreign') {
      expect(response.status).toBe(401); // the foreign origin's own answer, passed through
      expect(sent).toHaveLength(1);
      expect(sent[0]!.authorization).toBeNull();
      expect(sent[0]!.body).toMatch(read);
      expect(world.auth.stats.refreshes).toBe(0);
    } else {
      expect(response.status).toBe(200);
      expect(sent).toHaveLength(2);
      for (const { body } of sent) expect(body).toMatch(read);
      expect(sent[1]!.authorization).toMatch(/^Bearer /);
      expect(world.auth.stats.refreshes).toBe(1);
    }
  });
});

describe('createAuthKy to a third-party API', () => {
  it('posts JSON to another origin untouched: no token, body intact', async () => {
    world.server.use(http.post(`${FOREIGN}/hooks`, async ({ request }) => HttpResponse.json({ got: await request.json(), auth: request.headers.get('authorization') })));
    const auth = world.client();
    await auth.login(USER);
    const api = createAuthKy(auth);

    const answer = await api.post(`${FOREIGN}/hooks`, { json: { event: 'paid' } }).json();

    expect(answer).toEqual({ got: { event: 'paid' }, auth: null });
  });
});
