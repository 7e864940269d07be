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
    throw new AuthError('network', 'DPoP: WebCrypto could not make an ES256 key', { cause });
  }
}

/** The pair with its public JWK: kty, crv, x and y only (no `ext`, `key_ops`). */
export async function withJwk(pair: CryptoKeyPair): Promise<DpopKey> {
  const { x, y } = await subtle().exportKey('jwk', pair.publicKey);
  return { pair, jwk: { kty: 'EC', crv: 'P-256', x: x ?? '', y: y ?? '' } };
}

// Checked by brand, not instanceof: the pair arrives by structured clone, possibly from another realm.
function isP256(key: unknown, type: KeyType, usage: KeyUsage): boolean {
  if (Object.prototype.toString.call(key) !== '[object CryptoKey]') return false;
  const { algorithm, usages } = key as CryptoKey;
  return (key as CryptoKey).type === type && algorithm.name === 'ECDSA' && (algorithm as EcKeyAlgorithm).namedCurve === 'P-256' && usages.includes(usage);
}

/**
 * An ES256 pair another tab may hand over: a P-256 signing key that cannot be exported, and its
 * public key (which must be, to go into proofs).
 */
export function isDpopKeyPair(value: unknown): value is CryptoKeyPair {
  const pair = value as Partial<CryptoKeyPair> | null | undefined;
  return isP256(pair?.privateKey, 'private', 'sign') && !pair?.privateKey?.extractable &&
    isP256(pair?.publicKey, 'public', 'verify') && pair?.publicKey?.extractable === true;
}
