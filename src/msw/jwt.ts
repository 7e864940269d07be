// HS256 JSON Web Tokens (RFC 7519) on WebCrypto, so the mock runs in Node and browsers alike.
import { base64url, fromBase64url, fromUtf8, utf8 } from './encoding';

/** Claims of a token this server signs; `exp` and `iat` are epoch seconds. */
export interface JwtClaims {
  sub: string;
  exp: number;
  iat: number;
  [claim: string]: unknown;
}

const HEADER = base64url(utf8(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));

/**
 * Imports an HMAC SHA-256 key from a shared secret.
 *
 * @example
 * const key = await importHmacKey('test-secret');
 */
export function importHmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

/**
 * Signs `claims` as a compact HS256 JWT.
 *
 * @example
 * const jwt = await signJwt(key, { sub: 'u1', iat: 0, exp: 900 });
 */
export async function signJwt(key: CryptoKey, claims: JwtClaims): Promise<string> {
  const input = `${HEADER}.${base64url(utf8(JSON.stringify(claims)))}`;
  const signature = await crypto.subtle.sign('HMAC', key, utf8(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}

/**
 * Verifies an HS256 JWT: header, signature and `exp` (strictly after `nowMs`).
 * Answers the claims, or `null` for any invalid, tampered or expired token.
 *
 * @example
 * const claims = await verifyJwt(key, jwt, Date.now());
 */
export async function verifyJwt(key: CryptoKey, token: string, nowMs: number): Promise<JwtClaims | null> {
  const [header, payload, signature, ...rest] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined || rest.length > 0) return null;
  const signatureBytes = fromBase64url(signature);
  if (signatureBytes === null) return null;
  // Checking the header first refuses `alg: none` and algorithm swaps before any crypto runs.
  const head = parseJson(header);
  if (head === null || head['alg'] !== 'HS256') return null;
  // subtle.verify compares in constant time; a hand-written === on signatures would leak timing.
  const valid = await crypto.subtle.verify('HMAC', key, signatureBytes, utf8(`${header}.${payload}`));
  if (!valid) return null;
  const claims = parseJson(payload);
  if (claims === null) return null;
  const { sub, exp, iat } = claims;
  if (typeof sub !== 'string' || typeof exp !== 'number' || typeof iat !== 'number') return null;
  if (exp * 1000 <= nowMs) return null;
  return { ...claims, sub, exp, iat };
}

/** A base64url JSON object (a JWS header or payload), or `null`. */
export function parseJson(segment: string): Record<string, unknown> | null {
  const bytes = fromBase64url(segment);
  if (bytes === null) return null;
  try {
    const value: unknown = JSON.parse(fromUtf8(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
