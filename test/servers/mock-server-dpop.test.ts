// @vitest-environment node
// The mock server with `dpop`: tokens bound to the key of the login's or refresh's proof, and every
// check a resource makes, each with the attack it stops. Proofs come from tokenkeeper/dpop (the
// page) and from a key of the attacker's own (test/modules/dpop-attacker.ts).
import { decodeJwt } from 'jose';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createDpop, jwkThumbprint, type DpopHandle, type DpopPublicJwk } from 'tokenkeeper/dpop';
import { createAuthServer, generateTotp } from 'tokenkeeper/msw';
import { attackerKey, b64json, expectRefused, fromB64json, parts, proofCall, type ProofCall } from '../modules/dpop-attacker';
import { cookieOf } from './http.mjs';

const API = 'https://api.example.com';
const STRICT = 'https://nonce.example.com';
const ALICE = { email: 'alice@example.com', password: 'wonderland' };
const BOB = { email: 'bob@example.com', password: 'builder-123', totpSecret: 'JBSWY3DPEHPK3PXP' };
const clock = { now: Date.now() };
const auth = createAuthServer({ baseUrl: API, dpop: true, now: () => clock.now, users: [ALICE, BOB] });
const strict = createAuthServer({ baseUrl: STRICT, dpop: { requireNonce: true, nonceTtl: 20 }, now: () => clock.now, users: [ALICE] });
const server = setupServer(...auth.handlers, ...strict.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  // Proofs carry the real time; the servers' clock starts there and moves only when a test says.
  clock.now = Date.now();
});
afterEach(() => {
  auth.reset();
  strict.reset();
});
afterAll(() => server.close());

/**
 * A call to the full `url` a proof names. Always with a Cookie header (`tk_refresh=` when none is
 * given): the header wins over MSW's cookie jar, so each call presents exactly the cookie it names.
 */
function call(method: string, url: string, options: ProofCall = {}) {
  const { origin, pathname, search } = new URL(url);
  return proofCall({ url: origin, alwaysSendCookie: true }, method, pathname + search, options);
}

/** Signs in with a proof by `dpop`'s key (none without `dpop`). */
async function login(dpop?: DpopHandle, base = API) {
  const url = `${base}/auth/login`;
  const res = await call('POST', url, { body: ALICE, ...(dpop ? { proof: await dpop.proof('POST', url) } : {}) });
  expect(res.status, await res.clone().text()).toBe(200);
  const body = (await res.json()) as { accessToken: string; token_type?: string };
  return { token: body.accessToken, tokenType: body.token_type, cookie: cookieOf(res) };
}

/** `GET /me` as the page sends it: DPoP scheme and a fresh proof for the token. */
async function me(dpop: DpopHandle, token: string, base = API) {
  return call('GET', `${base}/me`, { token, proof: await dpop.proof('GET', `${base}/me`, token) });
}

describe('binding', () => {
  test('a login with a proof gets token_type DPoP and a token bound to the proof\'s key (cnf.jkt)', async () => {
    const dpop = createDpop();
    const { token, tokenType } = await login(dpop);

    expect(tokenType).toBe('DPoP');
    expect(decodeJwt(token)['cnf']).toEqual({ jkt: await dpop.thumbprint() });
    const res = await me(dpop, token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { email: ALICE.email } });
  });

  test('a login without a proof gets a plain bearer token, as before (DPoP is the client\'s choice)', async () => {
    const { token, tokenType } = await login();

    expect(tokenType).toBeUndefined();
    expect(decodeJwt(token)).not.toHaveProperty('cnf');
    expect((await call('GET', `${API}/me`, { token, scheme: 'Bearer' })).status).toBe(200);
  });

  test('a refresh binds the new token to the key of its proof; the refresh cookie is not bound', async () => {
    const page = createDpop();
    const { cookie } = await login(page);
    const afterReload = createDpop(); // a reload makes a new key; the cookie still restores

    const url = `${API}/auth/refresh-token`;
    const res = await call('POST', url, { cookie, proof: await afterReload.proof('POST', url) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accessToken: string; token_type: string };
    expect(body.token_type).toBe('DPoP');
    expect(decodeJwt(body.accessToken)['cnf']).toEqual({ jkt: await afterReload.thumbprint() });
    expect((await me(afterReload, body.accessToken)).status).toBe(200);
    await expectRefused(await me(page, body.accessToken), 'invalid_token', 'proof by another key');
  });

  test('the second factor\'s step binds too', async () => {
    const dpop = createDpop();
    const challenge = (await (await call('POST', `${API}/auth/login`, { body: BOB })).json()) as { mfaToken: string };
    const url = `${API}/auth/mfa/verify`;

    const res = await call('POST', url, { body: { mfaToken: challenge.mfaToken, code: await generateTotp(BOB.totpSecret, clock.now) }, proof: await dpop.proof('POST', url) });
    const body = (await res.json()) as { accessToken: string; token_type: string };
    expect(body.token_type).toBe('DPoP');
    expect(decodeJwt(body.accessToken)['cnf']).toEqual({ jkt: await dpop.thumbprint() });
  });

  test('account calls (sessions, mfa settings) need the proof too', async () => {
    const dpop = createDpop();
    const { token } = await login(dpop);
    const sessions = `${API}/auth/sessions`;

    await expectRefused(await call('GET', sessions, { token, scheme: 'Bearer' }), 'invalid_token', 'a DPoP-bound token needs the DPoP scheme');
    await expectRefused(await call('GET', `${API}/auth/mfa`, { token }), 'invalid_token', 'no proof');
    expect((await call('GET', sessions, { token, proof: await dpop.proof('GET', sessions, token) })).status).toBe(200);
  });
});

describe('a copied token is worth nothing', () => {
  test('replayed with no proof, as Bearer or as DPoP', async () => {
    const { token } = await login(createDpop());

    await expectRefused(await call('GET', `${API}/me`, { token, scheme: 'Bearer' }), 'invalid_token', 'a DPoP-bound token needs the DPoP scheme');
    await expectRefused(await call('GET', `${API}/me`, { token }), 'invalid_token', 'no proof');
  });

  test('replayed with a valid proof from the thief\'s own key (ath and all)', async () => {
    const { token } = await login(createDpop());
    const thief = await attackerKey();

    await expectRefused(
      await call('GET', `${API}/me`, { token, proof: await thief.proof('GET', `${API}/me`, token) }),
      'invalid_token',
      'proof by another key',
    );
    await expectRefused(await me(createDpop(), token), 'invalid_token', 'proof by another key');
  });

  test('used to sign the user out everywhere: nothing is revoked', async () => {
    const dpop = createDpop();
    const { token, cookie } = await login(dpop);
    const thief = await attackerKey();
    const url = `${API}/auth/logout`;

    for (const scheme of ['Bearer', 'DPoP'] as const) {
      const proof = scheme === 'DPoP' ? await thief.proof('POST', url, token) : undefined;
      expect((await call('POST', url, { token, scheme, body: { everywhere: true }, ...(proof ? { proof } : {}) })).status).toBe(204);
    }
    const refresh = `${API}/auth/refresh-token`;
    expect((await call('POST', refresh, { cookie, proof: await dpop.proof('POST', refresh) })).status).toBe(200);
  });

  test('replayed with a proof copied off the wire: its jti is spent', async () => {
    const dpop = createDpop();
    const { token } = await login(dpop);
    const proof = await dpop.proof('GET', `${API}/me`, token);

    expect((await call('GET', `${API}/me`, { token, proof })).status).toBe(200);
    await expectRefused(await call('GET', `${API}/me`, { token, proof }), 'invalid_dpop_proof', 'jti replayed');
  });

  test('a login proof copied off the wire cannot bind a second login', async () => {
    const dpop = createDpop();
    const proof = await dpop.proof('POST', `${API}/auth/login`);
    expect((await call('POST', `${API}/auth/login`, { body: ALICE, proof })).status).toBe(200);

    const again = await call('POST', `${API}/auth/login`, { body: ALICE, proof });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'invalid_dpop_proof', error_description: 'jti replayed' });
    expect(again.headers.getSetCookie()).toEqual([]);
  });

  test('with a proof made for another request: another URL, another method', async () => {
    const dpop = createDpop();
    const { token } = await login(dpop);

    const forSessions = await dpop.proof('GET', `${API}/auth/sessions`, token);
    await expectRefused(await call('GET', `${API}/me`, { token, proof: forSessions }), 'invalid_dpop_proof', 'htu');
    const forOtherHost = await dpop.proof('GET', 'https://evil.example/me', token);
    await expectRefused(await call('GET', `${API}/me`, { token, proof: forOtherHost }), 'invalid_dpop_proof', 'htu');
    const forDelete = await dpop.proof('DELETE', `${API}/me`, token);
    await expectRefused(await call('GET', `${API}/me`, { token, proof: forDelete }), 'invalid_dpop_proof', 'htm');
  });

  test('with a proof made for another token of the same key (ath)', async () => {
    const dpop = createDpop();
    const first = await login(dpop);
    const second = await login(dpop);

    const forFirst = await dpop.proof('GET', `${API}/me`, first.token);
    await expectRefused(await call('GET', `${API}/me`, { token: second.token, proof: forFirst }), 'invalid_dpop_proof', 'ath');
    const forNone = await dpop.proof('GET', `${API}/me`);
    await expectRefused(await call('GET', `${API}/me`, { token: second.token, proof: forNone }), 'invalid_dpop_proof', 'ath');
  });

  test('with a proof made long ago or in the future (iat outside ±60 s)', async () => {
    const dpop = createDpop();
    const { token } = await login(dpop);
    const made = clock.now;

    clock.now = made + 61_000;
    await expectRefused(await me(dpop, token), 'invalid_dpop_proof', 'iat');
    clock.now = made - 61_000;
    await expectRefused(await me(dpop, token), 'invalid_dpop_proof', 'iat');
    clock.now = made + 55_000;
    expect((await me(dpop, token)).status).toBe(200);
  });

  test('a spent jti is remembered for as long as its proof could pass the iat check', async () => {
    const dpop = createDpop();
    const { token } = await login(dpop);
    const proof = await dpop.proof('GET', `${API}/me`, token);
    expect((await call('GET', `${API}/me`, { token, proof })).status).toBe(200);

    clock.now += 59_000; // still within the window: the replay cache must still hold it
    await expectRefused(await call('GET', `${API}/me`, { token, proof }), 'invalid_dpop_proof', 'jti replayed');
  });
});

describe('every JOSE field is checked', () => {
  async function boundSession() {
    const thief = await attackerKey();
    // The thief's key is bound here, so only the field under test can fail.
    const { accessToken: token } = await auth.issueTokens(ALICE.email, { jkt: await jwkThumbprint(thief.jwk as DpopPublicJwk) });
    return { thief, token, url: `${API}/me` };
  }

  test.each([
    ['typ JWT', { header: { typ: 'JWT' } }, 'typ'],
    ['no typ', { header: { typ: undefined } }, 'typ'],
    ['no jwk', { header: { jwk: undefined } }, 'jwk'],
    ['an RSA jwk', { header: { jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } } }, 'jwk'],
    ['a P-384 jwk', { header: { jwk: { kty: 'EC', crv: 'P-384', x: 'AA', y: 'AA' } } }, 'jwk'],
    ['a point not on the curve', { header: { jwk: { kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'A'.repeat(43) } } }, 'jwk'],
    ['no jti', { claims: { jti: undefined } }, 'jti'],
    ['an iat that is a string', { claims: { iat: String(Math.floor(Date.now() / 1000)) } }, 'iat'],
    ['an htu with the query', { claims: { htu: `${API}/me?page=1` } }, 'htu'],
  ])('refuses %s', async (_, forged, check) => {
    const { thief, token, url } = await boundSession();
    await expectRefused(await call('GET', url, { token, proof: await thief.proof('GET', url, token, forged) }), 'invalid_dpop_proof', check);
  });

  test('refuses a jwk with the private key in it (a proof key must be public)', async () => {
    const { thief, token, url } = await boundSession();
    const proof = await thief.proof('GET', url, token, { header: { jwk: thief.privateJwk } });
    await expectRefused(await call('GET', url, { token, proof }), 'invalid_dpop_proof', 'jwk');
  });

  test('refuses alg none and HS256 keyed with the public key, before any crypto', async () => {
    const { thief, token, url } = await boundSession();
    const [header, payload] = parts(await thief.proof('GET', url, token));
    const unsigned = `${b64json({ ...fromB64json(header), alg: 'none' })}.${payload}.`;
    const hmac = `${b64json({ ...fromB64json(header), alg: 'HS256' })}.${payload}.${'A'.repeat(43)}`;

    await expectRefused(await call('GET', url, { token, proof: unsigned }), 'invalid_dpop_proof', 'alg');
    await expectRefused(await call('GET', url, { token, proof: hmac }), 'invalid_dpop_proof', 'alg');
  });

  test('refuses a tampered claim (the signature no longer matches) and two proofs at once', async () => {
    const { thief, token, url } = await boundSession();
    const [header, payload, signature] = parts(await thief.proof('GET', url, token));
    const tampered = `${header}.${b64json({ ...fromB64json(payload), htm: 'POST' })}.${signature}`;
    await expectRefused(await call('GET', url, { token, proof: tampered }), 'invalid_dpop_proof', 'signature');

    const headers = new Headers({ Authorization: `DPoP ${token}` });
    headers.append('DPoP', await thief.proof('GET', url, token));
    headers.append('DPoP', await thief.proof('GET', url, token));
    // Plain fetch: two DPoP headers need Headers.append, which call()'s header record cannot say.
    await expectRefused(await fetch(url, { headers }), 'invalid_dpop_proof', 'malformed');
  });

  test('refuses the DPoP scheme for a token that is not bound', async () => {
    const { token } = await login();
    const dpop = createDpop();
    await expectRefused(await me(dpop, token), 'invalid_token', 'not a DPoP-bound token');
  });

  test('a token endpoint answers a bad proof 400 invalid_dpop_proof before it changes anything', async () => {
    const { cookie } = await login();
    const url = `${API}/auth/refresh-token`;
    const stale = await createDpop().proof('POST', url);
    clock.now += 120_000;

    const refused = await call('POST', url, { cookie, proof: stale });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'invalid_dpop_proof', error_description: 'iat' });
    // The cookie was not rotated by the refused call: it still refreshes, with no reuse detected.
    clock.now = Date.now();
    const dpop = createDpop();
    expect((await call('POST', url, { cookie, proof: await dpop.proof('POST', url) })).status).toBe(200);
    expect(auth.stats).toMatchObject({ refreshes: 1, reuseDetected: 0, rejectedRefreshes: 0 });
  });

  test('register with a bad proof creates no account', async () => {
    const url = `${API}/auth/register`;
    const newUser = { email: 'carol@example.com', password: 'carol-password' };
    const wrongMethod = await createDpop().proof('PUT', url);

    expect((await call('POST', url, { body: newUser, proof: wrongMethod })).status).toBe(400);
    const dpop = createDpop();
    const res = await call('POST', url, { body: newUser, proof: await dpop.proof('POST', url) });
    expect(res.status).toBe(201);
    expect(auth.stats.registrations).toBe(1);
  });
});

describe('nonces (requireNonce)', () => {
  test('a login without the nonce is answered 400 use_dpop_nonce with one; the retry with it binds', async () => {
    const dpop = createDpop();
    const url = `${STRICT}/auth/login`;

    const first = await call('POST', url, { body: ALICE, proof: await dpop.proof('POST', url) });
    expect(first.status).toBe(400);
    const body: unknown = await first.json();
    expect(body).toEqual({ error: 'use_dpop_nonce', error_description: 'nonce' });
    expect(first.headers.getSetCookie()).toEqual([]);
    // The handle the core uses recognises the answer and keeps the nonce.
    expect(dpop.rememberNonce(url, first.headers)).toBe(true);
    expect(dpop.isNonceError(first.status, first.headers, body)).toBe(true);

    const retry = await call('POST', url, { body: ALICE, proof: await dpop.proof('POST', url) });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('DPoP-Nonce')).toBe(first.headers.get('DPoP-Nonce'));
    expect(strict.stats.logins).toBe(1);
  });

  test('a resource answers 401 DPoP error="use_dpop_nonce" with the nonce', async () => {
    const dpop = createDpop();
    dpop.rememberNonce(STRICT, (await call('POST', `${STRICT}/auth/login`, { body: ALICE, proof: await dpop.proof('POST', `${STRICT}/auth/login`) })).headers);
    const { token } = await login(dpop, STRICT);
    const sameKeyNoNonce = createDpop(); // another tab of the page, which has not met this server yet
    sameKeyNoNonce.adopt(dpop.exportForTabs());
    const withoutNonce = await sameKeyNoNonce.proof('GET', `${STRICT}/me`, token);

    const refused = await call('GET', `${STRICT}/me`, { token, proof: withoutNonce });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('WWW-Authenticate')).toBe('DPoP error="use_dpop_nonce", algs="ES256"');
    expect(dpop.isNonceError(refused.status, refused.headers)).toBe(true);
    expect(refused.headers.get('DPoP-Nonce')).toMatch(/^[\w-]{22}$/);
    expect((await me(dpop, token, STRICT)).status).toBe(200);
  });

  test('the nonce changes after nonceTtl: the old one is refused and the answer brings the new one', async () => {
    const dpop = createDpop();
    const url = `${STRICT}/auth/login`;
    dpop.rememberNonce(url, (await call('POST', url, { body: ALICE, proof: await dpop.proof('POST', url) })).headers);
    const { token } = await login(dpop, STRICT);
    const old = (await me(dpop, token, STRICT)).headers.get('DPoP-Nonce');

    clock.now += 25_000; // past nonceTtl (20 s), within the iat window (60 s)
    const stale = await me(dpop, token, STRICT);
    expect(stale.status).toBe(401);
    expect(dpop.isNonceError(stale.status, stale.headers)).toBe(true);
    expect(dpop.rememberNonce(`${STRICT}/me`, stale.headers)).toBe(true);
    expect(stale.headers.get('DPoP-Nonce')).not.toBe(old);
    expect((await me(dpop, token, STRICT)).status).toBe(200);
  });
});
