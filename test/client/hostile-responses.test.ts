import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, setupWorld, USER } from '../support/world';

// Whatever a broken or hostile auth server answers, the client ends with a clear AuthError or a
// documented fallback: never a crash, a hang, a silent logout or a leaked token.
const world = setupWorld();
const refreshUrl = `${API}/auth/refresh-token`;

const hostileBodies: Array<[string, () => Response]> = [
  ['an HTML page', () => HttpResponse.html('<!doctype html><title>Sign in</title>')],
  ['an empty body', () => new HttpResponse(null, { status: 200 })],
  ['JSON null', () => HttpResponse.json(null)],
  ['a JSON array', () => HttpResponse.json([{ accessToken: 'x' }])],
  ['a token of the wrong type', () => HttpResponse.json({ accessToken: { nested: true }, expiresIn: 60 })],
  ['a token with CR/LF', () => HttpResponse.json({ accessToken: 'ok\r\nSet-Cookie: evil=1', expiresIn: 60 })],
  ['a token with a space', () => HttpResponse.json({ accessToken: 'Bearer abc', expiresIn: 60 })],
  ['a 20 KiB token', () => HttpResponse.json({ accessToken: 'a'.repeat(20_480), expiresIn: 60 })],
  ['truncated JSON', () => new HttpResponse('{"accessToken":"abc', { headers: { 'Content-Type': 'application/json' } })],
  ['a 5 MB body with no token', () => HttpResponse.json({ padding: 'x'.repeat(5_000_000) })],
];

describe('hostile login answers', () => {
  it.each(hostileBodies)('%s → invalid_response, still signed out', async (_, answer) => {
    world.server.use(http.post(`${API}/auth/login`, answer));
    const auth = world.client();
    await expect(auth.login(USER)).rejects.toMatchObject({ name: 'AuthError', code: 'invalid_response' });
    expect(auth.getState().status).toBe('unknown');
    expect(await auth.getAccessToken()).toBeNull();
  });
});

describe('hostile refresh answers', () => {
  it.each(hostileBodies)('%s → invalid_response, an error event, and the session stays', async (_, answer) => {
    const auth = world.client();
    await auth.login(USER);
    const token = await auth.getAccessToken();
    const logouts: string[] = [];
    const errors: string[] = [];
    auth.onLogout(({ reason }) => logouts.push(reason));
    auth.on('error', ({ error }) => errors.push(error.code));
    world.server.use(http.post(refreshUrl, answer));

    await expect(auth.refresh()).rejects.toMatchObject({ code: 'invalid_response' });
    expect(errors).toEqual(['invalid_response']);
    expect(logouts).toEqual([]);
    expect(await auth.getAccessToken()).toBe(token); // the old token is kept, not replaced by garbage
  });

  it('a redirect (to a login page) is reported with its status, not followed', async () => {
    const auth = world.client();
    await auth.login(USER);
    let followed = false;
    world.server.use(
      http.post(refreshUrl, () => new HttpResponse(null, { status: 302, headers: { Location: `${API}/login` } })),
      http.all(`${API}/login`, () => {
        followed = true;
        return HttpResponse.html('<form>');
      }),
    );
    await expect(auth.refresh()).rejects.toMatchObject({ code: 'server', status: 302 });
    expect(followed).toBe(false);
    expect(auth.getState().status).toBe('authenticated');
  });

  it('a 401 with an odd WWW-Authenticate still means one refresh and one replay', async () => {
    const auth = world.client();
    await auth.login(USER);
    let calls = 0;
    world.server.use(
      http.get(`${API}/api/odd`, () =>
        ++calls === 1
          ? new HttpResponse('no', { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="x", Negotiate, garbage=="' } })
          : HttpResponse.json({ ok: true }),
      ),
    );
    const response = await auth.authFetch(`${API}/api/odd`);
    expect(response.status).toBe(200);
    expect(world.auth.stats.refreshes).toBe(1);
  });
});
