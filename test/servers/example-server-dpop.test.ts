// @vitest-environment node
// The example server with `dpop`: tokens bound to the key of a token call's proof, proofs checked
// with jose field by field, each check with the attack it stops; nonces and spent jtis shared by
// instances on one store. Proofs come from tokenkeeper/dpop and from an attacker's own key.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createDpop, type DpopHandle } from 'tokenkeeper/dpop';
import { createMemoryStore, DEMO_USER, startServer, type RunningServer } from '../../examples/server/index.mjs';
import { attackerKey, b64json, expectRefused, fromB64json, parts, proofCall as call } from '../modules/dpop-attacker';
import { cookieOf } from './http.mjs';

const SPA = 'http://localhost:5173';
const PUBLIC = 'https://auth.example.com';
const clock = { now: Date.now() };
const now = () => clock.now;
let server: RunningServer;
let strict: RunningServer;
/** Two instances behind one public origin, sharing a store and a secret. */
let pair: RunningServer[];
const store = createMemoryStore({ now });

beforeAll(async () => {
  // Access tokens outlive the iat window, so a refusal there is the proof's, not the token's.
  server = await startServer({ port: 0, now, dpop: true, allowedOrigins: [SPA], accessTokenTtl: 600 });
  strict = await startServer({ port: 0, now, dpop: { requireNonce: true, nonceTtl: 20 } });
  const shared = { port: 0, now, store, secret: 'shared-secret', dpop: { origins: [PUBLIC] } };
  pair = [await startServer(shared), await startServer(shared)];
});
afterAll(async () => {
  await Promise.all([server, strict, ...pair].map((s) => s.close()));
  await store.close();
});
beforeEach(() => {
  // Proofs carry the real time; the servers' clock starts there and moves only when a test says.
  clock.now = Date.now();
});

/** Signs in as the demo user, with a proof by `dpop`'s key when given. */
async function login(base: RunningServer, dpop?: DpopHandle) {
  const proof = dpop ? await dpop.proof('POST', `${base.url}/auth/login`) : undefined;
  const res = await call(base, 'POST', '/auth/login', { body: DEMO_USER, ...(proof ? { proof } : {}) });
  expect(res.status, await res.clone().text()).toBe(200);
  const body = (await res.json()) as { accessToken: string; token_type?: string };
  return { token: body.accessToken, tokenType: body.token_type, cookie: cookieOf(res) };
}

/** `GET /api/me` as the page sends it: DPoP scheme and a fresh proof for the token. */
async function me(base: RunningServer, dpop: DpopHandle, token: string) {
  return call(base, 'GET', '/api/me', { token, proof: await dpop.proof('GET', `${base.url}/api/me`, token) });
}

describe('binding', () => {
  test('a login with a proof gets token_type DPoP and a token bound to its key; /api/me answers with a proof', async () => {
    const dpop = createDpop();
    const { token, tokenType } = await login(server, dpop);

    expect(tokenType).toBe('DPoP');
    expect(decodeJwt(token)['cnf']).toEqual({ jkt: await dpop.thumbprint() });
    const res = await me(server, dpop, token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { email: DEMO_USER.email } });
  });

  test('without a proof, the same answers as ever: a bearer token that works as Bearer', async () => {
    const res = await call(server, 'POST', '/auth/login', { body: DEMO_USER });
    expect(Object.keys(await res.clone().json()).sort()).toEqual(['accessToken', 'expiresIn', 'user']);
    const { accessToken: token } = (await res.json()) as { accessToken: string };
    expect(decodeJwt(token)).not.toHaveProperty('cnf');
    expect((await call(server, 'GET', '/api/me', { token, scheme: 'Bearer' })).status).toBe(200);
  });

  test('a refresh binds the new token to the key of its proof (a reload\'s new key); the cookie is not bound', async () => {
    const { cookie } = await login(server, createDpop());
    const afterReload = createDpop();

    const res = await call(server, 'POST', '/auth/refresh-token', { cookie, proof: await afterReload.proof('POST', `${server.url}/auth/refresh-token`) });
    const body = (await res.json()) as { accessToken: string; token_type: string };
    expect(body.token_type).toBe('DPoP');
    expect(decodeJwt(body.accessToken)['cnf']).toEqual({ jkt: await afterReload.thumbprint() });
    expect((await me(server, afterReload, body.accessToken)).status).toBe(200);
  });

  test('account calls need the proof too; a copied token cannot sign its user out everywhere', async () => {
    const dpop = createDpop();
    const { token, cookie } = await login(server, dpop);
    await expectRefused(await call(server, 'GET', '/auth/sessions', { token, scheme: 'Bearer' }), 'invalid_token', 'a DPoP-bound token needs the DPoP scheme');
    const sessions = await call(server, 'GET', '/auth/sessions', { token, proof: await dpop.proof('GET', `${server.url}/auth/sessions`, token) });
    expect(sessions.status).toBe(200);

    expect((await call(server, 'POST', '/auth/logout', { token, scheme: 'Bearer', body: { everywhere: true } })).status).toBe(204);
    const refreshed = await call(server, 'POST', '/auth/refresh-token', { cookie, proof: await dpop.proof('POST', `${server.url}/auth/refresh-token`) });
    expect(refreshed.status).toBe(200);
  });

  test('a server with DPoP off issues bearer tokens whatever the request sends', async () => {
    const plain = await startServer({ port: 0, now });
    try {
      const res = await call(plain, 'POST', '/auth/login', { body: DEMO_USER, proof: await createDpop().proof('POST', `${plain.url}/auth/login`) });
      const { accessToken, token_type } = (await res.json()) as { accessToken: string; token_type?: string };
      expect(token_type).toBeUndefined();
      expect(decodeJwt(accessToken)).not.toHaveProperty('cnf');
    } finally {
      await plain.close();
    }
  });
});

describe('a copied token is worth nothing', () => {
  test('replayed with no proof, as Bearer or as DPoP', async () => {
    const { token } = await login(server, createDpop());

    await expectRefused(await call(server, 'GET', '/api/me', { token, scheme: 'Bearer' }), 'invalid_token', 'a DPoP-bound token needs the DPoP scheme');
    await expectRefused(await call(server, 'GET', '/api/me', { token }), 'invalid_token', 'no proof');
  });

  test('replayed with a valid proof from the thief\'s own key', async () => {
    const { token } = await login(server, createDpop());
    const thief = await attackerKey();

    const proof = await thief.proof('GET', `${server.url}/api/me`, token);
    await expectRefused(await call(server, 'GET', '/api/me', { token, proof }), 'invalid_token', 'proof by another key');
  });

  test('replayed with a proof copied off the wire: its jti is spent', async () => {
    const dpop = createDpop();
    const { token } = await login(server, dpop);
    const proof = await dpop.proof('GET', `${server.url}/api/me`, token);

    expect((await call(server, 'GET', '/api/me', { token, proof })).status).toBe(200);
    clock.now += 59_000;
    await expectRefused(await call(server, 'GET', '/api/me', { token, proof }), 'invalid_dpop_proof', 'jti replayed');
  });

  test('with a proof for another URL, method or token', async () => {
    const dpop = createDpop();
    const { token } = await login(server, dpop);
    const other = await login(server, dpop);

    const forUrl = await dpop.proof('GET', `${server.url}/auth/sessions`, token);
    await expectRefused(await call(server, 'GET', '/api/me', { token, proof: forUrl }), 'invalid_dpop_proof', 'htu');
    const forHost = await dpop.proof('GET', 'https://evil.example/api/me', token);
    await expectRefused(await call(server, 'GET', '/api/me', { token, proof: forHost }), 'invalid_dpop_proof', 'htu');
    const forMethod = await dpop.proof('POST', `${server.url}/api/me`, token);
    await expectRefused(await call(server, 'GET', '/api/me', { token, proof: forMethod }), 'invalid_dpop_proof', 'htm');
    const forToken = await dpop.proof('GET', `${server.url}/api/me`, other.token);
    await expectRefused(await call(server, 'GET', '/api/me', { token, proof: forToken }), 'invalid_dpop_proof', 'ath');
  });

  test('with a proof made more than 60 s before or after the server\'s clock', async () => {
    const dpop = createDpop();
    const { token } = await login(server, dpop);
    const made = clock.now;

    clock.now = made + 61_000;
    await expectRefused(await me(server, dpop, token), 'invalid_dpop_proof', 'iat');
    clock.now = made - 61_000;
    await expectRefused(await me(server, dpop, token), 'invalid_dpop_proof', 'iat');
  });
});

describe('every JOSE field is checked', () => {
  async function bound() {
    const thief = await attackerKey();
    const { token } = await login(server, createDpop());
    // The thief's proof is otherwise perfect, so the field under test is what fails; binding is checked after.
    return { thief, token, url: `${server.url}/api/me` };
  }

  test.each([
    ['typ JWT', () => ({ header: { typ: 'JWT' } }), 'typ'],
    ['no jwk', () => ({ header: { jwk: undefined } }), 'jwk'],
    ['an RSA jwk', () => ({ header: { jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } } }), 'jwk'],
    ['a point not on the curve', () => ({ header: { jwk: { kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'A'.repeat(43) } } }), 'jwk'],
    ['no jti', () => ({ claims: { jti: undefined } }), 'jti'],
    ['an iat that is a string', () => ({ claims: { iat: String(Math.floor(clock.now / 1000)) } }), 'iat'],
    ['an htu with the query', (url: string) => ({ claims: { htu: `${url}?page=1` } }), 'htu'],
  ])('refuses %s', async (_, forged, check) => {
    const { thief, token, url } = await bound();
    const proof = await thief.proof('GET', url, token, forged(url));
    await expectRefused(await call(server, 'GET', '/api/me', { token, proof }), 'invalid_dpop_proof', check);
  });

  test('refuses a jwk with the private key in it', async () => {
    const { thief, token, url } = await bound();
    const proof = await thief.proof('GET', url, token, { header: { jwk: thief.privateJwk } });
    await expectRefused(await call(server, 'GET', '/api/me', { token, proof }), 'invalid_dpop_proof', 'jwk');
  });

  test('refuses alg none and HS256, a tampered claim, and two proofs at once', async () => {
    const { thief, token, url } = await bound();
    const [header, payload, signature] = parts(await thief.proof('GET', url, token));
    const hmac = `${b64json({ ...fromB64json(header), alg: 'HS256' })}.${payload}.${signature}`;
    const none = `${b64json({ ...fromB64json(header), alg: 'none' })}.${payload}.`;
    const tampered = `${header}.${b64json({ ...fromB64json(payload), iat: Math.floor(clock.now / 1000) - 1 })}.${signature}`;

    await expectRefused(await call(server, 'GET', '/api/me', { token, proof: hmac }), 'invalid_dpop_proof', 'alg');
    await expectRefused(await call(server, 'GET', '/api/me', { token, proof: none }), 'invalid_dpop_proof', 'malformed');
    await expectRefused(await call(server, 'GET', '/api/me', { token, proof: tampered }), 'invalid_dpop_proof', 'signature');
    const two = `${await thief.proof('GET', url, token)}, ${await thief.proof('GET', url, token)}`;
    await expectRefused(await call(server, 'GET', '/api/me', { token, proof: two }), 'invalid_dpop_proof', 'malformed');
  });

  test('a token call answers a bad proof 400 before it changes anything', async () => {
    const { cookie } = await login(server);
    const refresh = `${server.url}/auth/refresh-token`;
    const wrongUrl = await createDpop().proof('POST', `${server.url}/auth/login`);

    const refused = await call(server, 'POST', '/auth/refresh-token', { cookie, proof: wrongUrl });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'invalid_dpop_proof', error_description: 'htu' });
    expect(cookieOf(refused)).toBe('');
    // Not rotated: the same cookie still refreshes, and no reuse was detected.
    const before = { ...server.stats };
    expect((await call(server, 'POST', '/auth/refresh-token', { cookie, proof: await createDpop().proof('POST', refresh) })).status).toBe(200);
    expect(server.stats.reuseDetected).toBe(before.reuseDetected);
  });
});

describe('nonces (requireNonce)', () => {
  test('a token call without the nonce: 400 use_dpop_nonce with one; the retry binds', async () => {
    const dpop = createDpop();
    const url = `${strict.url}/auth/login`;
    const first = await call(strict, 'POST', '/auth/login', { body: DEMO_USER, proof: await dpop.proof('POST', url) });

    expect(first.status).toBe(400);
    const body: unknown = await first.json();
    expect(body).toEqual({ error: 'use_dpop_nonce', error_description: 'nonce' });
    expect(cookieOf(first)).toBe('');
    expect(dpop.rememberNonce(url, first.headers) && dpop.isNonceError(first.status, first.headers, body)).toBe(true);

    const retry = await call(strict, 'POST', '/auth/login', { body: DEMO_USER, proof: await dpop.proof('POST', url) });
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as { token_type: string }).token_type).toBe('DPoP');
  });

  test('a resource without the nonce: 401 DPoP error="use_dpop_nonce"; a forged or outdated nonce is refused', async () => {
    const dpop = createDpop();
    const loginUrl = `${strict.url}/auth/login`;
    dpop.rememberNonce(loginUrl, (await call(strict, 'POST', '/auth/login', { body: DEMO_USER, proof: await dpop.proof('POST', loginUrl) })).headers);
    const { token } = await login(strict, dpop);
    const noNonce = createDpop(); // a tab with the same key that has not met this server
    noNonce.adopt(dpop.exportForTabs());

    const refused = await me(strict, noNonce, token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('DPoP error="use_dpop_nonce", algs="ES256"');
    expect(noNonce.isNonceError(refused.status, refused.headers)).toBe(true);
    const forged = new Headers({ 'DPoP-Nonce': `${refused.headers.get('dpop-nonce')!.split('.')[0]}.${'A'.repeat(43)}` });
    noNonce.rememberNonce(strict.url, forged);
    expect((await me(strict, noNonce, token)).status).toBe(401);

    expect((await me(strict, dpop, token)).status).toBe(200);
    clock.now += 20_000; // one period on: still accepted
    expect((await me(strict, dpop, token)).status).toBe(200);
    clock.now += 20_000; // two periods on: refused, with the current one
    const old = await me(strict, dpop, token);
    expect(old.status).toBe(401);
    expect(dpop.rememberNonce(strict.url, old.headers)).toBe(true);
    expect((await me(strict, dpop, token)).status).toBe(200);
  });
});

describe('several instances on one store', () => {
  test('a nonce from one is good on the other; a jti spent on one is spent on both; htu names the public origin', async () => {
    const [a, b] = pair as [RunningServer, RunningServer];
    const dpop = createDpop();
    const login = `${PUBLIC}/auth/login`;
    const res = await call(a, 'POST', '/auth/login', { body: DEMO_USER, proof: await dpop.proof('POST', login) });
    const { accessToken: token } = (await res.json()) as { accessToken: string };
    expect(decodeJwt(token)['cnf']).toEqual({ jkt: await dpop.thumbprint() });

    const proof = await dpop.proof('GET', `${PUBLIC}/api/me`, token);
    expect((await call(b, 'GET', '/api/me', { token, proof })).status).toBe(200);
    await expectRefused(await call(a, 'GET', '/api/me', { token, proof }), 'invalid_dpop_proof', 'jti replayed');
    const ownUrl = await dpop.proof('GET', `${a.url}/api/me`, token);
    await expectRefused(await call(a, 'GET', '/api/me', { token, proof: ownUrl }), 'invalid_dpop_proof', 'htu');
  });
});

test('CORS lets an allowed SPA send DPoP and read DPoP-Nonce', async () => {
  const preflight = await call(server, 'OPTIONS', '/api/me', { headers: { Origin: SPA, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization, dpop' } });
  expect(preflight.headers.get('access-control-allow-headers')?.split(', ')).toContain('DPoP');
  const answer = await call(server, 'GET', '/api/me', { headers: { Origin: SPA } });
  expect(answer.headers.get('access-control-expose-headers')?.split(', ')).toContain('DPoP-Nonce');
});
