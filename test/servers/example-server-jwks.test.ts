// @vitest-environment node
// ES256 signing with a published key set, `kid` in every token, keys from configuration, and an
// API server that validates tokens with the JWKS alone.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT, UnsecuredJWT, decodeProtectedHeader, exportPKCS8, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApiServer, type RunningApiServer } from '../../examples/api-server/index.mjs';
import { createMemoryStore, DEMO_USER, startServer, type RunningServer } from '../../examples/server/index.mjs';
import { HANG_MS } from '../support/outcome';
import { startServerProcess } from '../support/server-process.mjs';
import { call, login as logIn, type Target } from './http.mjs';

const privateJwk = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as JWK;

async function login(server: RunningServer) {
  const response = await logIn(server, DEMO_USER.email, DEMO_USER.password);
  expect(response.status).toBe(200);
  return ((await response.json()) as { accessToken: string; user: { id: string } });
}
const get = (target: Target, path: string, token?: string) => call(target, 'GET', path, { token });
const me = (server: RunningServer, token: string) => get(server, '/api/me', token);

const closing: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((server) => server.close()));
});
const started = <T extends { close(): Promise<void> }>(server: T) => (closing.push(server), server);

describe('ES256 auth server and a JWKS-only API server', () => {
  const key = privateJwk();
  let auth: RunningServer;
  let api: RunningApiServer;
  beforeAll(async () => {
    auth = await startServer({ port: 0, jwtAlg: 'ES256', privateKey: key });
    api = await startApiServer({ port: 0, jwksUrl: `${auth.url}/.well-known/jwks.json` });
  });
  afterAll(async () => {
    await Promise.all([auth.close(), api.close()]);
  });

  it('publishes the public key only, and names it in every token', async () => {
    const response = await get(auth, '/.well-known/jwks.json');
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: JWK[] };
    expect(keys).toEqual([{ kty: 'EC', crv: 'P-256', x: key.x, y: key.y, kid: expect.any(String), alg: 'ES256', use: 'sig' }]);
    expect(keys[0]).not.toHaveProperty('d');
    const { accessToken } = await login(auth);
    expect(decodeProtectedHeader(accessToken)).toEqual({ alg: 'ES256', typ: 'JWT', kid: keys[0]!.kid });
    expect((await me(auth, accessToken)).status).toBe(200);
  });

  it('the API server accepts the tokens, and keeps accepting them with the auth server gone', async () => {
    const isolatedAuth = await startServer({ port: 0, jwtAlg: 'ES256', privateKey: key });
    const isolatedApi = started(await startApiServer({ port: 0, jwksUrl: `${isolatedAuth.url}/.well-known/jwks.json` }));
    const first = await login(isolatedAuth);
    const second = await login(isolatedAuth);
    const hello = await get(isolatedApi, '/api/hello', first.accessToken);
    expect(hello.status).toBe(200);
    expect(await hello.json()).toEqual({ message: 'Hello, Demo User', sub: first.user.id, email: DEMO_USER.email });

    // Nothing answers at the auth server any more: validation needs only the cached key set.
    await isolatedAuth.close();
    for (const { accessToken } of [second, first, second]) {
      expect((await get(isolatedApi, '/api/hello', accessToken)).status).toBe(200);
    }
    expect(isolatedApi.stats).toEqual({ authorized: 4, rejected: 0 });
  });

  it('refuses forged, tampered, unsigned, confused-algorithm and expired tokens with 401', async () => {
    const { accessToken } = await login(auth);
    const [header, payload, signature] = accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const { kid } = decodeProtectedHeader(accessToken);
    const attacker = createPrivateKey({ key: privateJwk(), format: 'jwk' });
    const publicJwk = (await (await get(auth, '/.well-known/jwks.json')).json()) as { keys: JWK[] };

    const forgeries = {
      // Another key claiming the real key's id.
      otherKey: await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: kid! }).sign(attacker),
      // The real signature over someone else's claims.
      tampered: `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${signature}`,
      unsigned: new UnsecuredJWT(claims).encode(),
      // The public key used as an HMAC secret: refused because the algorithm is pinned.
      hmacWithPublicKey: await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: kid! })
        .sign(new TextEncoder().encode(JSON.stringify(publicJwk.keys[0]))),
      expired: await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 })
        .setProtectedHeader({ alg: 'ES256', kid: kid! }).sign(createPrivateKey({ key, format: 'jwk' })),
    };
    const before = api.stats.rejected;
    for (const [name, token] of Object.entries(forgeries)) {
      const response = await get(api, '/api/hello', token);
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect((await me(auth, token)).status).toBe(401);
    }
    expect((await get(api, '/api/hello')).status).toBe(401);
    expect(api.stats.rejected - before).toBe(Object.keys(forgeries).length + 1);
  });

  it('answers 503, not 401, when the key set cannot be fetched (a 401 would only make clients refresh in vain)', async () => {
    const { accessToken } = await login(auth);
    const gone = await startServer({ port: 0 });
    await gone.close();
    const orphan = started(await startApiServer({ port: 0, jwksUrl: `${gone.url}/.well-known/jwks.json` }));
    const response = await get(orphan, '/api/hello', accessToken);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: 'jwks_unavailable' });
    // An HS256 auth server publishes no key set: also the key set's problem, not the token's.
    const hs = started(await startServer({ port: 0 }));
    const noKeys = started(await startApiServer({ port: 0, jwksUrl: `${hs.url}/.well-known/jwks.json` }));
    expect((await get(noKeys, '/api/hello', accessToken)).status).toBe(503);
  });
});

describe('keys from configuration: every instance verifies every other\'s tokens', () => {
  it('ES256: instances given the same key (as JWK or PEM) share the kid and accept each other\'s tokens; another key does not', async () => {
    const jwk = privateJwk();
    const pem = await exportPKCS8(createPrivateKey({ key: jwk, format: 'jwk' }));
    const store = createMemoryStore();
    const a = started(await startServer({ port: 0, store, jwtAlg: 'ES256', privateKey: JSON.stringify(jwk) }));
    const b = started(await startServer({ port: 0, store, jwtAlg: 'ES256', privateKey: pem }));
    const stranger = started(await startServer({ port: 0, store, jwtAlg: 'ES256', privateKey: privateJwk() }));
    expect(a.app.signingKey.kid).toBe(b.app.signingKey.kid);
    const fromA = await login(a);
    const fromB = await login(b);
    expect(fromB.user.id).toBe(fromA.user.id);
    expect((await me(b, fromA.accessToken)).status).toBe(200);
    expect((await me(a, fromB.accessToken)).status).toBe(200);
    expect((await me(stranger, fromA.accessToken)).status).toBe(401);
  });

  it('HS256: every token carries a kid; the same secret gives the same kid and mutual acceptance; no key set is published', async () => {
    const store = createMemoryStore();
    const a = started(await startServer({ port: 0, store, secret: 'a shared secret of enough length!' }));
    const b = started(await startServer({ port: 0, store, secret: 'a shared secret of enough length!' }));
    const other = started(await startServer({ port: 0, store, secret: 'some other secret, also long enough' }));
    const { accessToken } = await login(a);
    expect(decodeProtectedHeader(accessToken)).toEqual({ alg: 'HS256', typ: 'JWT', kid: a.app.signingKey.kid });
    expect(b.app.signingKey.kid).toBe(a.app.signingKey.kid);
    expect(other.app.signingKey.kid).not.toBe(a.app.signingKey.kid);
    expect((await me(b, accessToken)).status).toBe(200);
    expect((await me(other, accessToken)).status).toBe(401);
    expect((await get(a, '/.well-known/jwks.json')).status).toBe(404);
  });

  it('expiring access tokens on one instance expires them on all (the generation lives in the store)', async () => {
    const store = createMemoryStore();
    const a = started(await startServer({ port: 0, store, secret: 'a shared secret of enough length!' }));
    const b = started(await startServer({ port: 0, store, secret: 'a shared secret of enough length!' }));
    const { accessToken } = await login(a);
    expect((await call(a, 'POST', '/api/expire-access-tokens', { token: accessToken })).status).toBe(204);
    expect((await me(b, accessToken)).status).toBe(401);
  });

  it('refuses a bad key or algorithm at start with a readable error', async () => {
    await expect(startServer({ port: 0, jwtAlg: 'ES256', privateKey: 'not a key' })).rejects.toThrow(/JWT_PRIVATE_KEY must be an EC P-256 private key/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await expect(startServer({ port: 0, jwtAlg: 'ES256', privateKey: rsa })).rejects.toThrow(/EC P-256/);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'jwk' }) as JWK;
    await expect(startServer({ port: 0, jwtAlg: 'ES256', privateKey: p384 })).rejects.toThrow(/EC P-256/);
    await expect(startServer({ port: 0, jwtAlg: 'RS256' as 'ES256' })).rejects.toThrow(/JWT_ALG must be HS256 or ES256/);
  });

  it('main.mjs warns when it has to generate the key, and names the variable that fixes it', async () => {
    const server = await startServerProcess({ JWT_ALG: 'ES256', JWT_PRIVATE_KEY: '' });
    try {
      // stderr arrives on its own pipe, maybe after the line that said it listens.
      await vi.waitFor(() => expect(server.output()).toMatch(/warning: JWT_PRIVATE_KEY .* not set: using a key generated for this process/), { timeout: HANG_MS });
      expect((await get(server, '/.well-known/jwks.json')).status).toBe(200);
    } finally {
      await server.stop();
    }
    const configured = await startServerProcess({ JWT_ALG: 'ES256', JWT_PRIVATE_KEY: JSON.stringify(privateJwk()), SPA_ORIGINS: 'http://localhost:5173' });
    await configured.stop();
    expect(configured.output()).not.toMatch(/warning/);
  }, 30_000); // two processes started one after the other: each may take seconds on a loaded machine
});
