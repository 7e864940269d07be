// @vitest-environment node
// The proofs `tokenkeeper/dpop` signs, checked field by field, and verified as a server would: jose's
// jwtVerify with the embedded key, and the RFC 7638 thumbprint a token is bound to.
import { createHash } from 'node:crypto';
import { EmbeddedJWK, calculateJwkThumbprint, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createDpop } from 'tokenkeeper/dpop';

const NOW = Date.parse('2030-01-01T00:00:00Z');

/** Verifies `proof` the way RFC 9449 §4.3 asks: typ, alg, a public jwk, its signature. */
async function verify(proof: string) {
  const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] });
  return { payload, header: protectedHeader, jkt: await calculateJwkThumbprint(protectedHeader.jwk as JWK) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a proof', () => {
  test('carries typ, alg and the public jwk (kty, crv, x, y only), and verifies with that jwk', async () => {
    const proof = await createDpop().proof('POST', 'https://api.example.com/auth/login');

    const { header } = await verify(proof);
    expect(Object.keys(header).sort()).toEqual(['alg', 'jwk', 'typ']);
    expect(header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    expect(Object.keys(header.jwk ?? {}).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(header.jwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
    // The private scalar never travels: a jwk with `d` would hand the key to every server and log.
    expect(header.jwk).not.toHaveProperty('d');
  });

  test('claims htm, htu without query or fragment, iat now and a jti; nothing else for an auth call', async () => {
    vi.useFakeTimers({ now: NOW + 999, toFake: ['Date'] });
    const proof = await createDpop().proof('post', 'https://API.example.com:443/v1/auth/refresh-token?next=%2F#top');

    const { payload } = await verify(proof);
    expect(payload).toEqual({
      htm: 'POST',
      htu: 'https://api.example.com/v1/auth/refresh-token',
      iat: NOW / 1000,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  test('claims ath, the base64url SHA-256 of the access token, on a resource call', async () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl';
    const proof = await createDpop().proof('GET', 'https://api.example.com/me', token);

    const { payload } = await verify(proof);
    expect(payload['ath']).toBe(createHash('sha256').update(token).digest('base64url'));
    expect(payload['htm']).toBe('GET');
  });

  test('a tampered claim breaks the signature', async () => {
    const proof = await createDpop().proof('GET', 'https://api.example.com/me', 'token');
    const [header, payload, signature] = proof.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, htu: 'https://evil.example/me' })).toString('base64url');

    await expect(verify(`${header}.${forged}.${signature}`)).rejects.toThrow(/signature/);
  });
});

describe('the key', () => {
  test('is made once on first use, even by concurrent first proofs, and every jti is new', async () => {
    const dpop = createDpop();
    expect(dpop.exportForTabs()).toBeUndefined();

    const proofs = await Promise.all(Array.from({ length: 20 }, () => dpop.proof('GET', 'https://api.example.com/me')));
    const verified = await Promise.all(proofs.map(verify));

    expect(new Set(verified.map((v) => v.jkt)).size).toBe(1);
    expect(new Set(verified.map((v) => v.payload.jti)).size).toBe(20);
    expect(await dpop.thumbprint()).toBe(verified[0]!.jkt);
  });

  test('is a fresh ES256 pair per handle (a reload makes a new key), with a private half script cannot export', async () => {
    const first = createDpop();
    const second = createDpop();
    expect(await first.thumbprint()).not.toBe(await second.thumbprint());

    const pair = first.exportForTabs()!;
    expect(pair.privateKey.extractable).toBe(false);
    expect(pair.privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    await expect(crypto.subtle.exportKey('jwk', pair.privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('pkcs8', pair.privateKey)).rejects.toThrow();
  });

  test('the thumbprint is the RFC 7638 one of the jwk the proofs carry', async () => {
    const dpop = createDpop();
    const header = decodeProtectedHeader(await dpop.proof('GET', 'https://api.example.com/me'));

    expect(await dpop.thumbprint()).toBe(await calculateJwkThumbprint(header.jwk as JWK));
    expect(await dpop.thumbprint()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
