// @vitest-environment node
// The JWKS-only API server and DPoP (RFC 9449 §7): a token bound to a key (`cnf.jkt`) copied out of
// the page is refused as Bearer, without a proof, with a proof by the thief's own key, and with
// the page's proof replayed; the page's fresh proof works, and unbound tokens stay plain bearers.
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDpop, type DpopHandle } from 'tokenkeeper/dpop';
import { startApiServer, type RunningApiServer } from '../../examples/api-server/index.mjs';
import { createJtiCache } from '../../examples/api-server/jti-cache.mjs';
import { DEMO_USER, startServer, type RunningServer } from '../../examples/server/index.mjs';
import { attackerKey, expectRefused, proofCall, type ProofCall } from '../modules/dpop-attacker';

let auth: RunningServer;
let api: RunningApiServer;
let hello: string;

beforeAll(async () => {
  const privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as JWK;
  auth = await startServer({ port: 0, jwtAlg: 'ES256', privateKey, dpop: true });
  api = await startApiServer({ port: 0, jwksUrl: `${auth.url}/.well-known/jwks.json` });
  hello = `${api.url}/api/hello`;
});
afterAll(async () => {
  await Promise.all([auth.close(), api.close()]);
});

/** Signs in as the demo user, with a proof by `dpop`'s key when given; the access token. */
async function login(dpop?: DpopHandle) {
  const proof = dpop ? await dpop.proof('POST', `${auth.url}/auth/login`) : undefined;
  const res = await proofCall(auth, 'POST', '/auth/login', { body: DEMO_USER, ...(proof ? { proof } : {}) });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

const get = (options: ProofCall) => proofCall(api, 'GET', '/api/hello', options);

describe('a DPoP-bound token at the API server', () => {
  let page: DpopHandle;
  let token: string;
  beforeAll(async () => {
    page = createDpop();
    token = await login(page);
    expect(decodeJwt(token)['cnf']).toEqual({ jkt: await page.thumbprint() });
  });

  test('the page, with a fresh proof by its key for this request and token, gets 200', async () => {
    const res = await get({ token, proof: await page.proof('GET', hello, token) });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ message: 'Hello, Demo User', email: DEMO_USER.email });
  });

  test('copied and replayed as Bearer: 401, with or without the page proof alongside', async () => {
    await expectRefused(await get({ token, scheme: 'Bearer' }), 'invalid_token', 'a DPoP-bound token needs the DPoP scheme');
    const proof = await page.proof('GET', hello, token);
    await expectRefused(await get({ token, scheme: 'Bearer', proof }), 'invalid_token', 'a DPoP-bound token needs the DPoP scheme');
  });

  test('under the DPoP scheme without a proof: 401', async () => {
    await expectRefused(await get({ token }), 'invalid_token', 'no proof');
  });

  test("with a well-formed proof by the thief's own key: 401", async () => {
    const thief = await attackerKey();
    await expectRefused(await get({ token, proof: await thief.proof('GET', hello, token) }), 'invalid_token', 'proof by another key');
  });

  test("with the page's proof replayed (same jti): the first use gets 200, the replay 401", async () => {
    const proof = await page.proof('GET', hello, token);
    expect((await get({ token, proof })).status).toBe(200);
    await expectRefused(await get({ token, proof }), 'invalid_dpop_proof', 'jti replayed');
  });

  test("with the page's proof for another token or another URL: 401", async () => {
    const other = await login(page);
    await expectRefused(await get({ token, proof: await page.proof('GET', hello, other) }), 'invalid_dpop_proof', 'ath');
    await expectRefused(await get({ token, proof: await page.proof('GET', `${auth.url}/api/me`, token) }), 'invalid_dpop_proof', 'htu');
  });
});

describe('an unbound token at the API server', () => {
  test('works as Bearer, as before', async () => {
    const token = await login();
    expect(decodeJwt(token)).not.toHaveProperty('cnf');
    const res = await get({ token, scheme: 'Bearer' });
    expect(res.status, await res.clone().text()).toBe(200);
  });

  test('is refused under the DPoP scheme, even with a proof by some key', async () => {
    const token = await login();
    const someone = await attackerKey();
    await expectRefused(await get({ token, proof: await someone.proof('GET', hello, token) }), 'invalid_token', 'not a DPoP-bound token');
  });
});

describe('the in-memory jti cache', () => {
  test('refuses an id while its proof could still pass the iat check, and forgets it after', async () => {
    const clock = { now: 1_000_000 };
    const cache = createJtiCache({ now: () => clock.now });
    expect(await cache.useOnce('a', 120_000)).toBe(true);
    clock.now += 60_000;
    expect(await cache.useOnce('b', 120_000)).toBe(true);
    expect(await cache.useOnce('a', 120_000)).toBe(false);
    clock.now += 60_000; // a's time is up, b's is not
    expect(await cache.useOnce('b', 120_000)).toBe(false);
    expect(await cache.useOnce('a', 120_000)).toBe(true);
  });
});
