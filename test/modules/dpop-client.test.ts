// @vitest-environment node
// The client option `dpop`: every auth call and every authorized authFetch carries a fresh RFC 9449
// proof, checked here field by field against the mock server (`dpop: true`, `requireNonce: true`);
// bound tokens go out as `Authorization: DPoP`; answers whose token_type disagrees with the option are
// refused; other origins get nothing.
import { createHash } from 'node:crypto';
import { EmbeddedJWK, calculateJwkThumbprint, decodeJwt, jwtVerify, type JWK } from 'jose';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { createAuthClient, isAuthError, type AuthClient, type AuthClientOptions } from 'tokenkeeper';
import { createDpop } from 'tokenkeeper/dpop';
import { createAuthServer } from 'tokenkeeper/msw';

const API = 'https://api.example.com';
const STRICT = 'https://nonce.example.com';
const FOREIGN = 'https://other.example.net';
const ALICE = { email: 'alice@example.com', password: 'wonderland' };
const clock = { now: Date.now() };
const auth = createAuthServer({ baseUrl: API, dpop: true, accessTokenTtl: 300, now: () => clock.now, users: [ALICE] });
const strict = createAuthServer({ baseUrl: STRICT, dpop: { requireNonce: true }, now: () => clock.now, users: [ALICE] });

interface Seen {
  method: string;
  url: string;
  dpop: string | null;
  authorization: string | null;
  body: string;
}
const seen: Seen[] = [];
const server = setupServer(
  ...auth.handlers,
  ...strict.handlers,
  http.all(`${FOREIGN}/*`, () => HttpResponse.json({ ok: true })),
);
server.events.on('request:start', async ({ request }) => {
  const { method, url, headers } = request;
  const entry = { method, url, dpop: headers.get('DPoP'), authorization: headers.get('Authorization'), body: '' };
  seen.push(entry); // at once, so the order is the order of sending
  entry.body = await request.clone().text();
});

const clients: AuthClient[] = [];
const client = (options: Partial<AuthClientOptions> = {}) => {
  const created = createAuthClient({ baseUrl: API, crossTab: false, dpop: createDpop(), ...options });
  clients.push(created);
  return created;
};

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  clock.now = Date.now();
  seen.length = 0;
});
afterEach(() => {
  server.resetHandlers();
  auth.reset();
  strict.reset();
  for (const created of clients.splice(0)) created.dispose();
});
afterAll(() => server.close());

const ath = (token: string) => createHash('sha256').update(token).digest('base64url');
const requestsTo = (path: string) => seen.filter((s) => new URL(s.url).pathname === path);

/** Verifies a proof's signature with its own `jwk`, and answers its claims and key's thumbprint. */
async function checkProof(proof: string | null) {
  expect(proof, 'a DPoP header').toEqual(expect.any(String));
  const { payload, protectedHeader } = await jwtVerify(proof!, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] });
  expect(Object.keys(protectedHeader.jwk!).sort()).toEqual(['crv', 'kty', 'x', 'y']); // public members only
  expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(5);
  return { claims: payload, jkt: await calculateJwkThumbprint(protectedHeader.jwk as JWK) };
}

describe('proofs on auth calls', () => {
  test('login, refresh and logout each carry a fresh proof by one key; the token is bound to it and sent as DPoP', async () => {
    const dpop = createDpop();
    const auth = client({ dpop });
    await auth.login(ALICE);
    const first = await auth.getAccessToken();
    await auth.refresh();
    const second = (await auth.getAccessToken())!;
    await auth.logout();

    const [login, refresh, logout] = ['/auth/login', '/auth/refresh-token', '/auth/logout'].map((path) => requestsTo(path)[0]!) as [Seen, Seen, Seen];
    const proofs = await Promise.all([login, refresh, logout].map((s) => checkProof(s.dpop)));
    const key = await dpop.thumbprint();
    expect(proofs.map((p) => p.jkt)).toEqual([key, key, key]);
    expect(proofs.map((p) => [p.claims['htm'], p.claims['htu']])).toEqual([
      ['POST', `${API}/auth/login`],
      ['POST', `${API}/auth/refresh-token`],
      ['POST', `${API}/auth/logout`],
    ]);
    expect(new Set(proofs.map((p) => p.claims.jti)).size).toBe(3);
    // Only the call that carries the access token hashes it.
    expect(proofs.map((p) => p.claims['ath'])).toEqual([undefined, undefined, ath(second)]);
    expect(logout.authorization).toBe(`DPoP ${second}`);
    for (const token of [first!, second]) expect(decodeJwt(token)['cnf']).toEqual({ jkt: key });
    expect(auth.getState().status).toBe('anonymous');
  });
});

describe('proofs on authFetch', () => {
  test('an authorized request: htm, htu without query or fragment, ath of the token, a new jti each time', async () => {
    const auth = client();
    await auth.login(ALICE);
    const token = (await auth.getAccessToken())!;

    const responses = [await auth.authFetch(`${API}/me?page=2#top`), await auth.authFetch(new Request(`${API}/me`, { method: 'GET' }))];

    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    const sent = requestsTo('/me');
    expect(sent.map((s) => s.authorization)).toEqual([`DPoP ${token}`, `DPoP ${token}`]);
    const proofs = await Promise.all(sent.map((s) => checkProof(s.dpop)));
    for (const { claims } of proofs) expect(claims).toMatchObject({ htm: 'GET', htu: `${API}/me`, ath: ath(token) });
    expect(proofs[0]!.claims.jti).not.toBe(proofs[1]!.claims.jti);
  });

  test('requests to other origins get no proof and no token; authorized ones without a session get a proof alone', async () => {
    const auth = client();
    await auth.authFetch(`${API}/me`); // signed out
    await auth.login(ALICE);
    await auth.authFetch(`${FOREIGN}/data`);

    const foreign = seen.find((s) => s.url.startsWith(FOREIGN))!;
    expect(foreign).toMatchObject({ dpop: null, authorization: null });
    const signedOut = requestsTo('/me')[0]!;
    expect(signedOut.authorization).toBeNull();
    expect((await checkProof(signedOut.dpop)).claims['ath']).toBeUndefined();
  });

  test("the replay after a 401 carries a new proof with the new token's ath, its body intact", async () => {
    const auth = client();
    await auth.login(ALICE);
    const old = (await auth.getAccessToken())!;
    // The server refuses the token once (revoked, say); the client still trusts it.
    server.use(http.get(`${API}/me`, () => new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'DPoP error="invalid_token"' } }), { once: true }));

    const res = await auth.authFetch(`${API}/me`);

    expect(res.status).toBe(200);
    const fresh = (await auth.getAccessToken())!;
    expect(fresh).not.toBe(old);
    const [refused, replayed] = await Promise.all(requestsTo('/me').map((s) => checkProof(s.dpop)));
    expect(refused!.claims['ath']).toBe(ath(old));
    expect(replayed!.claims['ath']).toBe(ath(fresh));
    expect(replayed!.claims.jti).not.toBe(refused!.claims.jti);
    expect(requestsTo('/me')[1]!.authorization).toBe(`DPoP ${fresh}`);
  });
});

describe('server nonces (requireNonce)', () => {
  const strictClient = () => client({ baseUrl: STRICT });

  test('a login answered use_dpop_nonce is sent again once with the nonce; later calls carry it from the start', async () => {
    const auth = strictClient();
    await auth.login(ALICE);
    expect(auth.getState().status).toBe('authenticated');
    const logins = requestsTo('/auth/login');
    expect(logins).toHaveLength(2);
    const [without, withNonce] = await Promise.all(logins.map((s) => checkProof(s.dpop)));
    expect(without!.claims['nonce']).toBeUndefined();
    expect(withNonce!.claims['nonce']).toEqual(expect.any(String));
    expect(withNonce!.claims.jti).not.toBe(without!.claims.jti);
    // The body went out twice, whole.
    expect(logins.map((s) => JSON.parse(s.body))).toEqual([ALICE, ALICE]);

    expect((await auth.authFetch(`${STRICT}/me`)).status).toBe(200);
    await auth.refresh();
    expect(requestsTo('/me')).toHaveLength(1);
    expect(requestsTo('/auth/refresh-token')).toHaveLength(1);
    expect(strict.stats.refreshes).toBe(1); // the nonce retry is not a refresh
  });

  const post = { method: 'POST', body: '{"name":"x"}', headers: { 'Content-Type': 'application/json' } };
  test.each([
    ['a URL and init', (url: string): [RequestInfo, RequestInit?] => [url, post]],
    ['a Request', (url: string): [RequestInfo, RequestInit?] => [new Request(url, post)]],
  ])('a resource that asks for a nonce: one retry with it, the POST body (%s) sent whole both times, no refresh', async (_, args) => {
    const auth = strictClient();
    await auth.login(ALICE);
    const refreshes = strict.stats.refreshes;
    // The resource wants the nonce it hands out now, not the token endpoint's older one.
    let asked = false;
    const bodies: string[] = [];
    server.use(
      http.post(`${STRICT}/api/items`, async ({ request }) => {
        bodies.push(await request.text());
        const nonce = decodeJwt(request.headers.get('DPoP')!)['nonce'];
        if (nonce !== 'resource-nonce') {
          asked = true;
          return new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': 'resource-nonce' } });
        }
        return HttpResponse.json({ created: true });
      }),
    );

    const res = await auth.authFetch(...args(`${STRICT}/api/items`));

    expect(asked).toBe(true);
    expect(res.status).toBe(200);
    expect(bodies).toEqual(['{"name":"x"}', '{"name":"x"}']);
    expect(strict.stats.refreshes).toBe(refreshes);
  });

  test('a token endpoint that always asks: one retry, then the caller gets its answer (no loop)', async () => {
    let n = 0;
    server.use(
      http.post(`${STRICT}/auth/login`, () =>
        HttpResponse.json({ error: 'use_dpop_nonce' }, { status: 400, headers: { 'DPoP-Nonce': `nonce-${++n}` } }),
      ),
    );
    const error: unknown = await strictClient().login(ALICE).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'AuthError', code: 'validation', status: 400 });
    expect(requestsTo('/auth/login')).toHaveLength(2);
    expect(decodeJwt(requestsTo('/auth/login')[1]!.dpop!)['nonce']).toBe('nonce-1');
  });

  // Issue 17, property 11: a nonce error is not an expired token (4 requests and a rotated cookie before).
  test('a resource that always asks: one nonce retry, then its 401 is the caller\'s: no refresh, no replay', async () => {
    const auth = strictClient();
    await auth.login(ALICE);
    let n = 0;
    server.use(
      http.get(`${STRICT}/api/loop`, () =>
        new HttpResponse('no', { status: 401, headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': `loop-${++n}` } }),
      ),
    );

    const res = await auth.authFetch(`${STRICT}/api/loop`);

    expect(res.status).toBe(401);
    expect(await res.text()).toBe('no');
    // The send and its nonce retry; the token was never refused, so rule 3 does not start.
    expect(requestsTo('/api/loop')).toHaveLength(2);
    expect(strict.stats.refreshes).toBe(0);
    expect(auth.getState().status).toBe('authenticated');
  });

  test.each([
    ['no DPoP-Nonce header', {}],
    ['a malformed one', { 'DPoP-Nonce': 'two words' }],
  ])('use_dpop_nonce with %s: no retry', async (_, headers: Record<string, string>) => {
    server.use(http.post(`${STRICT}/auth/login`, () => HttpResponse.json({ error: 'use_dpop_nonce' }, { status: 400, headers })));

    await expect(strictClient().login(ALICE)).rejects.toMatchObject({ code: 'validation', status: 400 });
    expect(requestsTo('/auth/login')).toHaveLength(1);
  });

  test('a streamed request body is sent once: no nonce retry for it', async () => {
    const auth = client({ baseUrl: STRICT });
    await auth.login(ALICE);
    server.use(
      http.post(`${STRICT}/api/upload`, () =>
        new HttpResponse(null, { status: 400, headers: { 'DPoP-Nonce': 'upload' } }),
      ),
    );
    const chunks = (async function* () {
      yield new TextEncoder().encode('once');
    })();

    const res = await auth.authFetch(`${STRICT}/api/upload`, { method: 'POST', body: chunks as unknown as BodyInit, duplex: 'half' } as RequestInit);

    expect(res.status).toBe(400);
    expect(requestsTo('/api/upload')).toHaveLength(1);
  });
});

describe('token_type and the dpop option', () => {
  const answer = (tokenType?: string) =>
    http.post(`${API}/auth/login`, () =>
      HttpResponse.json({ access_token: 'opaque-token', expires_in: 300, ...(tokenType ? { token_type: tokenType } : {}) }),
    );

  test.each(['DPoP', 'dpop'])('without dpop, a %s token is refused with a hint, never a session', async (tokenType) => {
    server.use(answer(tokenType));
    const auth = client({ dpop: undefined });

    const error: unknown = await auth.login(ALICE).catch((e: unknown) => e);

    expect(isAuthError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'invalid_response', message: expect.stringContaining('pass dpop') });
    expect(auth.getState().status).toBe('unknown');
    expect(await auth.getAccessToken()).toBeNull();
  });

  test.each([['Bearer'], ['bearer'], [undefined]])('with dpop, a token_type %s answer is refused: no silent downgrade to bearer', async (tokenType) => {
    server.use(answer(tokenType));
    const auth = client();

    await expect(auth.login(ALICE)).rejects.toMatchObject({ name: 'AuthError', code: 'invalid_response', message: expect.stringMatching(/not DPoP/) });
    expect(auth.getState().status).toBe('unknown');
    expect(await auth.getAccessToken()).toBeNull();
  });

  test('with dpop, a refresh answered with a bearer token fails without ending the session or replacing the token', async () => {
    const auth = client();
    await auth.login(ALICE);
    const token = await auth.getAccessToken();
    server.use(http.post(`${API}/auth/refresh-token`, () => HttpResponse.json({ access_token: 'bearer-token', token_type: 'Bearer', expires_in: 300 })));

    await expect(auth.refresh()).rejects.toMatchObject({ code: 'invalid_response' });
    expect(auth.getState().status).toBe('authenticated');
    expect(await auth.getAccessToken()).toBe(token);
  });

  test('without dpop, plain bearer answers work as before: no proof is sent', async () => {
    const auth = client({ dpop: undefined });
    await auth.login(ALICE);
    const token = (await auth.getAccessToken())!;
    expect((await auth.authFetch(`${API}/me`)).status).toBe(200);
    expect(requestsTo('/me')[0]).toMatchObject({ authorization: `Bearer ${token}`, dpop: null });
    expect(requestsTo('/auth/login')[0]!.dpop).toBeNull();
  });
});

describe('without WebCrypto', () => {
  test('the first auth call and authorized authFetch reject with a clear AuthError and send nothing; other origins still work', async () => {
    vi.stubGlobal('crypto', undefined);
    const auth = client();

    const error: unknown = await auth.login(ALICE).catch((e: unknown) => e);
    expect(isAuthError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'network', message: expect.stringMatching(/WebCrypto.*secure context/) });
    await expect(auth.authFetch(`${API}/me`)).rejects.toMatchObject({ code: 'network', message: expect.stringMatching(/WebCrypto/) });
    expect(seen).toEqual([]);
    expect((await auth.authFetch(`${FOREIGN}/data`)).status).toBe(200);
    vi.unstubAllGlobals();
  });
});

// Issue 17, property 3: the DPoP proof header is not stripped on a cross-origin redirect, as
// `Authorization` is: it never follows one, and a foreign answer's nonce is the foreign origin's.
describe('redirects', () => {
  test('an authorized request redirected to another origin is answered its redirect: no proof reaches the other origin', async () => {
    server.use(http.get(`${API}/api/download`, () => new HttpResponse(null, { status: 302, headers: { Location: `${FOREIGN}/cdn/file` } })));
    const auth = client();
    await auth.login(ALICE);

    const response = await auth.authFetch(`${API}/api/download`);

    expect(response.status).toBe(302);
    expect(seen.filter((s) => s.url.startsWith(FOREIGN))).toEqual([]);
  });

  test("dpop.bind() used directly: a nonce answered by the origin a redirect led to is not filed under the first origin's", async () => {
    server.use(
      http.get(`${API}/api/hop`, () => new HttpResponse(null, { status: 302, headers: { Location: `${FOREIGN}/landing` } })),
      http.get(`${FOREIGN}/landing`, () => HttpResponse.json({ ok: true }, { headers: { 'DPoP-Nonce': 'foreign-nonce' } })),
    );
    const dpop = createDpop();

    await dpop.bind()(`${API}/api/hop`);

    expect(decodeJwt(await dpop.proof('GET', `${API}/me`))['nonce']).toBeUndefined();
    expect(decodeJwt(await dpop.proof('GET', `${FOREIGN}/landing`))['nonce']).toBe('foreign-nonce');
  });
});
