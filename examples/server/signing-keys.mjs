// The key access tokens are signed with, from configuration, so every instance signs and checks
// with the same one. HS256: a shared secret, known only to the auth servers. ES256: a private key
// here and its public half at /.well-known/jwks.json, so API servers need no secret at all.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';

/**
 * @typedef {object} SigningKey
 * @property {'HS256' | 'ES256'} alg
 * @property {string} kid the same on every instance configured with the same key
 * @property {Uint8Array | import('node:crypto').KeyObject} privateKey what signs
 * @property {import('jose').JWK | undefined} publicJwk ES256 only: what /.well-known/jwks.json publishes
 * @property {boolean} generated true when no key was configured: tokens die with this process
 * @property {Uint8Array} challengeKey HS256 key for MFA challenges, derived from the signing key,
 *   so every instance with the same configuration agrees, and a challenge is never an access token
 */

/** HKDF-SHA256 of the key material, for one purpose only. @param {Uint8Array} material */
const derive = (material) => new Uint8Array(hkdfSync('sha256', material, '', 'tokenkeeper mfa challenge', 32));

/**
 * @param {object} options
 * @param {string} [options.alg] 'HS256' (default) or 'ES256'
 * @param {string | Uint8Array} [options.secret] HS256 key
 * @param {string | import('jose').JWK} [options.privateKey] ES256 key: a JWK (object or JSON) or a PKCS#8 / SEC1 PEM
 * @returns {Promise<SigningKey>}
 */
export async function loadSigningKey({ alg = 'HS256', secret, privateKey }) {
  if (alg === 'HS256') {
    const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : (secret ?? randomBytes(32));
    // A digest names the key without revealing it; instances sharing the secret share the kid.
    const kid = createHash('sha256').update('tokenkeeper kid\0').update(key).digest('base64url').slice(0, 16);
    return { alg, kid, privateKey: key, publicJwk: undefined, generated: secret === undefined, challengeKey: derive(key) };
  }
  if (alg !== 'ES256') throw new Error(`JWT_ALG must be HS256 or ES256, got "${alg}"`);
  const keyObject = privateKey === undefined ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey : parsePrivateKey(privateKey);
  const { kty, crv, x, y } = /** @type {import('jose').JWK} */ (createPublicKey(keyObject).export({ format: 'jwk' }));
  const publicJwk = { kty, crv, x, y };
  // RFC 7638 thumbprint: derived from the key alone, so every instance computes the same kid.
  const kid = await calculateJwkThumbprint(publicJwk);
  const d = Buffer.from(String(/** @type {import('jose').JWK} */ (keyObject.export({ format: 'jwk' })).d), 'base64url');
  return {
    alg, kid, privateKey: keyObject, publicJwk: { ...publicJwk, kid, alg, use: 'sig' }, generated: privateKey === undefined, challengeKey: derive(d),
  };
}

/** @param {string | import('jose').JWK} input */
function parsePrivateKey(input) {
  const problem = 'JWT_PRIVATE_KEY must be an EC P-256 private key, as a JWK (with "d") or a PEM';
  let key;
  try {
    const text = typeof input === 'string' ? input.trim() : '';
    const jwk = typeof input === 'string' ? (text.startsWith('{') ? JSON.parse(text) : undefined) : input;
    key = jwk ? createPrivateKey({ key: jwk, format: 'jwk' }) : createPrivateKey(text);
  } catch (error) {
    throw new Error(`${problem} (${error instanceof Error ? error.message : error})`);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error(problem);
  return key;
}

/** A fresh ES256 private key as a JWK, for JWT_PRIVATE_KEY (see generate-key.mjs). */
export function generatePrivateJwk() {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
}
