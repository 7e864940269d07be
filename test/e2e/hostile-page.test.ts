import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../examples/server/index.mjs';
import { describeEngine, type Tab } from './engines';
import { startHarness, stats, type Harness } from './harness';
import { cookieSent, lastSeen } from './tap';

// Issue 8, properties 1 and 10 in a real browser: the origin checked is the origin fetched,
// and a page whose location.origin is "null" still works with an absolute baseUrl.
let harness: Harness;
/** The Authorization header of every request the browser sent to the other origin, whatever the page did. */
const toOther = () => harness.otherTap.seen;
const authorizationsSentToOther = () => toOther().map((request) => request.headers.authorization).filter(Boolean);

const credentials = { email: DEMO_USER.email, password: DEMO_USER.password };
type Echo = Record<string, string>;

async function signedInTab(): Promise<{ page: Tab; token: string }> {
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

describeEngine('hostile pages', () => {
  beforeAll(async () => {
    // "null": a sandboxed frame's requests carry `Origin: null`; only for the test below.
    harness = await startHarness({ appCorsOrigins: ['null'] });
  });
  afterAll(() => harness?.close());

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
      expect(toOther().length).toBeGreaterThan(0);
      expect(authorizationsSentToOther()).toEqual([]);
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
      expect(toOther().length).toBeGreaterThan(0);
      expect(authorizationsSentToOther()).toEqual([]);
      await page.close();
    });
  });

  /** A srcdoc iframe in `page` that loads the bundle as a classic script, and runs what {@link inFrame} posts it. */
  async function srcdocFrame(page: Tab, sandbox?: string): Promise<string> {
    return page.evaluate(
      async ([app, sandboxFlags]) => {
        const iframe = document.createElement('iframe');
        iframe.id = `frame${document.querySelectorAll('iframe').length}`;
        if (sandboxFlags) iframe.setAttribute('sandbox', sandboxFlags);
        // A sandboxed frame is another origin to its parent, so the two talk by postMessage only.
        iframe.srcdoc = `<script src="${app}/tokenkeeper.iife.js"></script><script>
          addEventListener('message', async ({ data: { id, source, arg } }) => {
            const answer = (reply) => parent.postMessage({ id, ...reply }, '*');
            try { answer({ value: await (0, eval)('(' + source + ')')(arg) }); } catch (error) { answer({ error: String(error) }); }
          });
        </script>`;
        const loaded = new Promise((resolve) => (iframe.onload = resolve));
        document.body.append(iframe);
        await loaded;
        return iframe.id;
      },
      [harness.app.url, sandbox] as const,
    );
  }

  /** Runs `fn(arg)` in the frame `frameId` of `page` (sent as source, like Tab.evaluate). */
  const inFrame = <R, A>(page: Tab, frameId: string, fn: (arg: A) => Promise<R>, arg: A) =>
    page.evaluate(
      ([frame, source, value]) =>
        new Promise<R>((resolve, reject) => {
          const id = Math.random();
          addEventListener('message', function answer({ data }: MessageEvent<{ id: number; value: R; error?: string }>) {
            if (data.id !== id) return;
            removeEventListener('message', answer);
            if (data.error === undefined) resolve(data.value);
            else reject(new Error(data.error));
          });
          (document.getElementById(frame) as HTMLIFrameElement).contentWindow!.postMessage({ id, source, arg: value }, '*');
        }),
      [frameId, fn.toString(), arg] as const,
    );

  /** In a frame: a client on the absolute app URL logs in, calls the API, and a second client restores. */
  const useFromFrame = (page: Tab, frameId: string) =>
    inFrame(
      page,
      frameId,
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

      const result = await useFromFrame(page, frame);

      // srcdoc inherits the parent's origin for everything but location: cookies are first-party.
      expect(result).toMatchObject({ locationOrigin: 'null', origin: harness.app.url, me: 200 });
      expect(result.echo['authorization']).toBe(`Bearer ${result.token}`);
      expect(result.restored).toMatchObject({ user: { email: DEMO_USER.email } });
      await page.close();
    });

    it('a sandboxed srcdoc iframe (opaque origin) logs in and calls the API; the cookie cannot follow it there', async () => {
      const page = await harness.openTab();
      await page.evaluate(() => window.tk.auth.logout()); // no cookie of an earlier test in the jar
      const frame = await srcdocFrame(page, 'allow-scripts');
      const before = await stats(harness);

      const result = await useFromFrame(page, frame);

      expect(result).toMatchObject({ locationOrigin: 'null', origin: 'null', me: 200 });
      expect(result.echo['authorization']).toBe(`Bearer ${result.token}`);
      expect(result.echo['origin']).toBe('null');
      // The login did set the cookie, but an opaque origin is cross-site to everything: the browser
      // drops the SameSite=Strict cookie and would not send one either, so a new client there finds
      // no session (null, no error), and nor does a new tab of the app.
      expect(lastSeen(harness.tap, '/auth/login').setCookie).toEqual([expect.stringMatching(/^tk_refresh=[A-Za-z0-9_-]{43,};/)]);
      expect(result.restored).toBeNull();
      const after = await stats(harness);
      expect(after.rejectedRefreshes - before.rejectedRefreshes).toBe(1);
      const next = await harness.openTab();
      expect(await next.evaluate(() => window.tk.restored)).toBeNull();
      expect(cookieSent(lastSeen(harness.tap, '/auth/refresh-token'), 'tk_refresh')).toBeUndefined();
      await Promise.all([page.close(), next.close()]);
    });
  });
});
