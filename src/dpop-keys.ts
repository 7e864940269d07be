// The proof key: an ES256 pair whose private half cannot be exported, in memory only.
import { AuthError } from './errors';
import { subtle, type DpopPublicJwk } from './dpop-jose';

/** A key pair and the public JWK its proofs carry. */
export interface DpopKey {
  pair: CryptoKeyPair;
  jwk: DpopPublicJwk;
}

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' };

/** A fresh pair: `extractable: false` applies to the private key; a public key is always exportable. */
export async function generateKey(): Promise<CryptoKeyPair> {
  const api = subtle();
  try {
    return await api.generateKey(EC_P256, false, ['sign', 'verify']);
  } catch (cause) {
    throw new AuthError('network', 'DPoP: no ES256 key', { cause });
  }
}

/** The pair with its public JWK: kty, crv, x and y only (no `ext`, `key_ops`). */
export async function withJwk(pair: CryptoKeyPair): Promise<DpopKey> {
  const { kty, crv, x, y } = await subtle().exportKey('jwk', pair.publicKey);
  return { pair, jwk: { kty, crv, x, y } as DpopPublicJwk };
}

// Checked by brand, not instanceof: the pair arrives by structured clone, possibly from another realm.
// A P-256 key that may `sign` can only be an ECDSA private key, one that may `verify` an ECDSA public
// key (ECDH keys derive, never sign), so the usage also settles the algorithm and the key's type.
const isP256 = (key: unknown, usage: KeyUsage): key is CryptoKey =>
  Object.prototype.toString.call(key) === '[object CryptoKey]' &&
  (key as CryptoKey).usages.includes(usage) &&
  ((key as CryptoKey).algorithm as EcKeyAlgorithm).namedCurve === 'P-256';

/**
 * An ES256 pair another tab may hand over: a P-256 signing key that cannot be exported, and its
 * public key (which must be, to go into proofs).
 */
export function isDpopKeyPair(value: unknown): value is CryptoKeyPair {
  const pair = value as Partial<CryptoKeyPair> | null | undefined;
  return isP256(pair?.privateKey, 'sign') && !pair.privateKey.extractable && isP256(pair.publicKey, 'verify') && pair.publicKey.extractable;
}
