import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { parseTokenResponse, type TokenResponseContext } from 'tokenkeeper';
import { API, setupWorld, USER } from '../support/world';

// "Fits any backend": reading answers that do not look like the default protocol.
const world = setupWorld();

describe('parseTokenResponse context', () => {
  it('is told the call, status and headers, so a token carried in a header can be read', async () => {
    world.server.use(
      http.post(`${API}/auth/login`, async () => {
        const { accessToken } = await world.auth.issueTokens(USER.email);
        return HttpResponse.json({ user: { email: USER.email } }, { headers: { 'X-Access-Token': accessToken } });
      }),
    );
    const contexts: TokenResponseContext[] = [];
    const auth = world.client({
      parseTokenResponse(body, context) {
        contexts.push(context);
        return { ...parseTokenResponse(body), accessToken: context.headers.get('x-access-token') ?? parseTokenResponse(body).accessToken };
      },
    });
    await auth.login(USER);
    expect(auth.getState()).toMatchObject({ status: 'authenticated', user: { email: USER.email } });
    expect(contexts[0]).toMatchObject({ call: 'login', status: 200 });
  });
});

describe('refreshRefusedStatuses', () => {
  it('a server that answers 400 without a cookie: restore() resolves null with [400, 401]', async () => {
    world.server.use(http.post(`${API}/auth/refresh-token`, () => HttpResponse.json({ error: 'missing cookie' }, { status: 400 })));
    await expect(world.client().restore()).rejects.toMatchObject({ code: 'validation' }); // the default does not know
    await expect(world.client({ refreshRefusedStatuses: [400, 401] }).restore()).resolves.toBeNull();
  });

  it('a function decides for servers that use one status for refusals and failures', async () => {
    const refusedWhen = (status: number, body: unknown) => status === 400 && (body as { code?: string }).code === 'no_session';
    world.server.use(http.post(`${API}/auth/refresh-token`, () => HttpResponse.json({ code: 'no_session' }, { status: 400 })));
    await expect(world.client({ refreshRefusedStatuses: refusedWhen }).restore()).resolves.toBeNull();

    const auth = world.client({ refreshRefusedStatuses: refusedWhen });
    await auth.login(USER);
    world.server.use(http.post(`${API}/auth/refresh-token`, () => HttpResponse.json({ code: 'db_down' }, { status: 400 })));
    await expect(auth.refresh()).rejects.toMatchObject({ code: 'validation' });
    expect(auth.getState().status).toBe('authenticated'); // not a refusal: the session stays
  });

  it('a 401 the list leaves out is a server failure, not the end of the session', async () => {
    const auth = world.client({ refreshRefusedStatuses: [400] });
    await auth.login(USER);
    world.server.use(http.post(`${API}/auth/refresh-token`, () => HttpResponse.json({}, { status: 401 })));
    await expect(auth.refresh()).rejects.toMatchObject({ code: 'server', status: 401 });
    expect(auth.getState().status).toBe('authenticated');
  });
});

describe('a login that only sets the cookie', () => {
  it('is followed by one refresh, whose token starts the session with the login’s user', async () => {
    let refreshes = 0;
    world.server.use(
      http.post(`${API}/auth/login`, async () => {
        // Signed in by its cookie (stood in for by the refresh handler below); no access token in the answer.
        return HttpResponse.json({ token: 'long-lived-session-id', user: { email: USER.email, name: 'Alice', id: 'u1' } });
      }),
      http.post(`${API}/auth/refresh-token`, async () => {
        refreshes++;
        const { accessToken } = await world.auth.issueTokens(USER.email);
        return HttpResponse.json({ accessToken, expiresIn: 300 });
      }),
    );
    const auth = world.client();
    const session = await auth.login(USER);

    expect(refreshes).toBe(1);
    expect(session.user).toEqual({ email: USER.email, name: 'Alice', id: 'u1' });
    expect(await auth.getAccessToken()).toMatch(/^eyJ/);
  });

  it('without a cookie either: login rejects invalid_response, register resolves null (confirmation first)', async () => {
    world.server.use(
      http.post(`${API}/auth/login`, () => HttpResponse.json({ ok: true })),
      http.post(`${API}/auth/register`, () => HttpResponse.json({ message: 'check your inbox' }, { status: 201 })),
    );
    const auth = world.client();
    await expect(auth.login(USER)).rejects.toMatchObject({ code: 'invalid_response' });
    await expect(auth.register({ email: 'new@example.com', password: 'long-enough-pw' })).resolves.toBeNull();
    expect(auth.getState().status).not.toBe('authenticated');
  });
});

describe('logout() never sends a token it knows is dead', () => {
  it('refreshes first, and sends the fresh token', async () => {
    const sent: Array<string | null> = [];
    world.server.use(http.post(`${API}/auth/logout`, ({ request }) => void sent.push(request.headers.get('authorization'))));
    const auth = world.client();
    await auth.login(USER);
    const old = await auth.getAccessToken();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 400_000); // expired on our clock

    await auth.logout();
    vi.useRealTimers();

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^Bearer /);
    expect(sent[0]).not.toBe(`Bearer ${old}`);
    expect(world.auth.stats.logouts).toBe(1);
  });

  it('when that refresh fails, calls the server with the cookie alone', async () => {
    const sent: Array<string | null> = [];
    world.server.use(http.post(`${API}/auth/logout`, ({ request }) => void sent.push(request.headers.get('authorization'))));
    const auth = world.client();
    await auth.login(USER);
    world.server.use(http.post(`${API}/auth/refresh-token`, () => new HttpResponse(null, { status: 503 })));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 400_000);

    await auth.logout();
    vi.useRealTimers();

    expect(sent).toEqual([null]);
    expect(world.auth.stats.logouts).toBe(1); // the server still ended the session by its cookie
  });
});
