import { Window } from 'happy-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API, FOREIGN, setupWorld, USER } from '../support/world';

// Issue 8, properties 1 and 10: the origin checked is the origin fetched, whatever the page does.
const world = setupWorld();
const PAGE = 'https://app.example.com'; // happy-dom's location, see vitest.config.ts

/** A browser's fetch resolves a relative URL against the document's base URL, not `location`. */
const browserLikeFetch: typeof fetch = (input, init) =>
  fetch(typeof input === 'string' ? new URL(input, document.baseURI).href : input, init);

const foreignAuthorizations = () => world.seen.filter((s) => s.url.startsWith(FOREIGN)).map((s) => s.authorization);

afterEach(() => {
  document.head.innerHTML = '';
});

describe('authFetch decides on the URL that fetch will use', () => {
  it('resolves a relative URL against <base href>, so a page that points it elsewhere gets no token', async () => {
    const auth = world.client({ authorizedOrigins: [API, PAGE], fetch: browserLikeFetch });
    await auth.login(USER);
    document.head.innerHTML = `<base href="${FOREIGN}/">`;

    await auth.authFetch('/api/echo');

    expect(foreignAuthorizations()).toEqual([null]);
  });

  it('sends a relative URL to an authorized origin with the token when <base> points there', async () => {
    const auth = world.client({ fetch: browserLikeFetch });
    await auth.login(USER);
    document.head.innerHTML = `<base href="${API}/">`;

    const response = await auth.authFetch('api/echo');

    expect(response.status).toBe(200);
    expect(world.seen.at(-1)?.authorization).toMatch(/^Bearer /);
  });

  it('recognises a Request from another realm by brand: no token to its foreign origin', async () => {
    const iframe = new Window({ url: PAGE });
    const auth = world.client({ authorizedOrigins: [API, PAGE] });
    await auth.login(USER);
    const foreign = new iframe.Request(`${FOREIGN}/steal`) as unknown as Request;
    expect(foreign instanceof Request).toBe(false); // the premise: instanceof cannot see it

    await auth.authFetch(foreign);

    expect(foreignAuthorizations()).toEqual([null]);
    await iframe.happyDOM.close();
  });

  it('gives a Request from another realm the token when it goes to an authorized origin', async () => {
    const iframe = new Window({ url: PAGE });
    const auth = world.client();
    await auth.login(USER);

    const response = await auth.authFetch(new iframe.Request(world.echoUrl, { method: 'PUT', body: 'x' }) as unknown as Request);

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ method: 'PUT', body: 'x' });
    expect(world.seen.at(-1)?.authorization).toMatch(/^Bearer /);
    await iframe.happyDOM.close();
  });

  it('never stringifies an object into a URL: one whose toString changes between calls gets no token', async () => {
    const auth = world.client();
    await auth.login(USER);
    let calls = 0;
    const shifty = { toString: () => (calls++ === 0 ? world.echoUrl : `${FOREIGN}/steal`) };

    await auth.authFetch(shifty as unknown as string).catch(() => {});
    await auth.authFetch(shifty as unknown as string).catch(() => {});

    expect(world.seen.every((s) => s.authorization === null)).toBe(true);
    expect(world.seen.length).toBeGreaterThan(0);
  });

  it('sends a URL object to an authorized origin with the token', async () => {
    const auth = world.client();
    await auth.login(USER);
    const response = await auth.authFetch(new URL(world.echoUrl));
    expect(response.status).toBe(200);
  });
});

describe('a page whose origin is "null" (srcdoc and about:blank iframes)', () => {
  it('works with an absolute baseUrl: login, authFetch with the token, restore', async () => {
    vi.spyOn(window.location, 'origin', 'get').mockReturnValue('null');
    expect(globalThis.location.origin).toBe('null');

    const auth = world.client();
    await auth.login(USER);
    const response = await auth.authFetch(world.echoUrl);

    expect(response.status).toBe(200);
    expect(world.seen.at(-1)?.authorization).toMatch(/^Bearer /);
    expect(await world.client().restore()).toMatchObject({ user: { email: USER.email } });
  });
});
