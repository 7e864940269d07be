import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../examples/server/index.mjs';
import { startHarness, stats, type Harness } from './harness';

// Issue 8, properties 1 and 10 in real Chromium: the origin checked is the origin fetched,
// and a page whose location.origin is "null" still works with an absolute baseUrl.
let harness: Harness;
/** The Authorization header of every request Chromium sent to the other origin, whatever the page did. */
const toOther: Array<Promise<string | undefined>> = [];
const authorizationsSentToOther = async () => (await Promise.all(toOther)).filter(Boolean);
beforeAll(async () => {
  // "null": a sandboxed frame's requests carry `Origin: null`; only for the test below.
  harness = await startHarness({ appCorsOrigins: ['null'] });
  harness.context.on('request', (request) => {
    if (!request.url().startsWith(harness.other.url)) return;
    toOther.push(request.allHeaders().then((headers) => headers['authorization']));
  });
});
afterAll(() => harness?.close());

const credentials = { email: DEMO_USER.email, password: DEMO_USER.password };
type Echo = Record<string, string>;

async function signedInTab(): Promise<{ page: Page; token: string }> {
  const page = await harness.openTab();
  await page.evaluate((user) => window.tk.auth.login(user), credentials);
  const token = await page.evaluate(() => window.tk.auth.getAccessToken());
  return { page, token: token! };
}

/** The other server's record of what reached it: the echoed headers must not hold the token. */
function expectNoToken(echo: Echo, token: string) {
  expect(echo).not.toHaveProperty('authorization');
  expect(JSON.stringify(echo)).not.toContain(token);
}

describe('the origin checked is the origin fetched (property 1)', () => {
  it('a page whose <base href> points at another origin sends a relative URL there without the token', async () => {
    const { page, token } = await signedInTab();

    const echo = await page.evaluate(async (other) => {
      const base = document.createElement('base');
      base.href = `${other}/`; // injected markup, as a hostile page or a bad template would
      document.head.append(base);
      return (await (await window.tk.auth.authFetch('/api/echo-headers')).json()) as Record<string, string>;
    }, harness.other.url);

    expect(echo['host']).toBe(new URL(harness.other.url).host); // the premise: <base> took the request there
    expectNoToken(echo, token);
    expect(toOther.length).toBeGreaterThan(0);
    expect(await authorizationsSentToOther()).toEqual([]);
    await page.close();
  });

  it('a Request from an iframe’s realm gets no token for another origin and the token for its own', async () => {
    const { page, token } = await signedInTab();

    const [foreign, own, premise] = await page.evaluate(async ([other, app]) => {
      const iframe = document.createElement('iframe');
      document.body.append(iframe);
      const FrameRequest = (iframe.contentWindow as typeof window).Request;
      const read = async (request: Request) => (await (await window.tk.auth.authFetch(request)).json()) as Record<string, string>;
      const foreignRequest = new FrameRequest(`${other}/api/echo-headers`);
      return [
        await read(foreignRequest),
        await read(new FrameRequest(`${app}/api/echo-headers`)),
        foreignRequest instanceof Request, // instanceof cannot see another realm's Request
      ] as const;
    }, [harness.other.url, harness.app.url]);

    expect(premise).toBe(false);
    expect(foreign['host']).toBe(new URL(harness.other.url).host);
    expectNoToken(foreign, token);
    expect(own['authorization']).toBe(`Bearer ${token}`);
    expect(toOther.length).toBeGreaterThan(0);
    expect(await authorizationsSentToOther()).toEqual([]);
    await page.close();
  });
});

/** Adds a srcdoc iframe that loads the bundle as a classic script, and returns its frame. */
async function srcdocFrame(page: Page, sandbox?: string): Promise<Frame> {
  const handle = await page.evaluateHandle(
    async ([app, sandboxFlags]) => {
      const iframe = document.createElement('iframe');
      if (sandboxFlags) iframe.setAttribute('sandbox', sandboxFlags);
      iframe.srcdoc = `<script src="${app}/tokenkeeper.iife.js"></script>`;
      const loaded = new Promise((resolve) => (iframe.onload = resolve));
      document.body.append(iframe);
      await loaded;
      return iframe;
    },
    [harness.app.url, sandbox] as const,
  );
  const frame = await handle.asElement()!.contentFrame();
  return frame!;
}

/** In a frame: a client on the absolute app URL logs in, calls the API, and a second client restores. */
const useFromFrame = (frame: Frame) =>
  frame.evaluate(
    async ([app, user]) => {
      const { createAuthClient } = window.tokenkeeper;
      const auth = createAuthClient({ baseUrl: app });
      await auth.login(user);
      const token = await auth.getAccessToken();
      const echo = (await (await auth.authFetch(`${app}/api/echo-headers`)).json()) as Record<string, string>;
      const me = await auth.authFetch(`${app}/api/me`);
      auth.dispose();
      const later = createAuthClient({ baseUrl: app });
      const restored = await later.restore();
      later.dispose();
      return { locationOrigin: location.origin, origin: self.origin, token, echo, me: me.status, restored };
    },
    [harness.app.url, credentials] as const,
  );

describe('a page whose location.origin is "null" (property 10)', () => {
  it('a srcdoc iframe logs in, calls the API with the token and restores from the cookie', async () => {
    const page = await harness.openTab();
    const frame = await srcdocFrame(page);

    const result = await useFromFrame(frame);

    // srcdoc inherits the parent's origin for everything but location: cookies are first-party.
    expect(result).toMatchObject({ locationOrigin: 'null', origin: harness.app.url, me: 200 });
    expect(result.echo['authorization']).toBe(`Bearer ${result.token}`);
    expect(result.restored).toMatchObject({ user: { email: DEMO_USER.email } });
    await page.close();
  });

  it('a sandboxed srcdoc iframe (opaque origin) logs in and calls the API; the cookie cannot follow it there', async () => {
    const page = await harness.openTab();
    const frame = await srcdocFrame(page, 'allow-scripts');
    await harness.context.clearCookies();
    const before = await stats(harness);

    const result = await useFromFrame(frame);

    expect(result).toMatchObject({ locationOrigin: 'null', origin: 'null', me: 200 });
    expect(result.echo['authorization']).toBe(`Bearer ${result.token}`);
    expect(result.echo['origin']).toBe('null');
    // An opaque origin is cross-site to everything: Chromium drops the SameSite=Strict cookie the
    // login set and would not send one either, so a new client there finds no session: null, no error.
    expect(await harness.context.cookies()).toEqual([]);
    expect(result.restored).toBeNull();
    const after = await stats(harness);
    expect(after.rejectedRefreshes - before.rejectedRefreshes).toBe(1);
    await page.close();
  });
});
