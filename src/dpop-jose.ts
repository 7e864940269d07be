// The few JOSE pieces a DPoP proof needs (RFC 7515 compact JWS, RFC 7638 thumbprint) on WebCrypto,
// so `tokenkeeper/dpop` bundles no JOSE library.
import { AuthError } from './errors';

/** An EC P-256 public key as a proof's header carries it: only the members RFC 7638 hashes. */
export interface DpopPublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

const encoder = new TextEncoder();

/** WebCrypto, or a clear error: browsers offer it only in secure contexts (https, localhost). */
export function subtle(): SubtleCrypto {
  const api = globalThis.crypto?.subtle;
  if (!api) {
    // 'network': the request cannot be sent at all; the message says why. Never a silent bearer.
    throw new AuthError('network', 'DPoP needs WebCrypto: a secure context, https or localhost');
  }
  return api;
}

/** base64url without padding, of bytes or of a string's UTF-8. */
export function base64url(input: ArrayBuffer | string): string {
  // Spread is safe here: a proof's parts are a few hundred bytes, far below the argument limit.
  const binary = String.fromCharCode(...new Uint8Array(typeof input === 'string' ? encoder.encode(input) : input));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url SHA-256 of a string: a proof's `ath`, and a thumbprint's last step. */
export async function sha256(text: string): Promise<string> {
  return base64url(await subtle().digest('SHA-256', encoder.encode(text)));
}

/**
 * The RFC 7638 thumbprint of an EC public key: what a bound token's `cnf.jkt` holds.
 *
 * @example
 * const jkt = await jwkThumbprint({ kty: 'EC', crv: 'P-256', x, y });
 */
export function jwkThumbprint({ crv, kty, x, y }: DpopPublicJwk): Promise<string> {
  // Required members only, in lexicographic order, no whitespace (RFC 7638 §3.2).
  return sha256(JSON.stringify({ crv, kty, x, y }));
}

/** A compact ES256 JWS over `header` and `payload`. */
export async function signEs256(key: CryptoKey, header: object, payload: object): Promise<string> {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  // WebCrypto's ECDSA signature is r || s, 64 bytes: exactly JWS's ES256 form (RFC 7518 §3.4).
  const signature = await subtle().sign({ name: 'ECDSA', hash: 'SHA-256' }, key, encoder.encode(input));
  return `${input}.${base64url(signature)}`;
}
