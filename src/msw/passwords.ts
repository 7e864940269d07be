// PBKDF2-SHA256 password hashing on WebCrypto. The mock stores only these hashes, never the
// plain password, so it models what a real server should do and leaks nothing through `user`.
import { base64url, fromBase64url, utf8 } from './encoding';

/**
 * OWASP asks for 600k PBKDF2-SHA256 iterations in production; a mock that hashes every seeded
 * user at startup and on each login must stay fast in test suites, so it uses far fewer.
 * The hashing is real; only the work factor is lowered.
 */
const ITERATIONS = 10_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;

/** A stored password: `pbkdf2-sha256$<iterations>$<salt>$<hash>` (salt and hash base64url). */
export type PasswordHash = string;

/**
 * Hashes a password with PBKDF2-SHA256 and a random 16-byte salt.
 *
 * @example
 * const stored = await hashPassword('correct horse');
 * await verifyPassword('correct horse', stored); // true
 */
export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, ITERATIONS);
  return `pbkdf2-sha256$${ITERATIONS}$${base64url(salt)}$${base64url(hash)}`;
}

/**
 * Checks a password against a stored hash.
 *
 * @example
 * await verifyPassword('wrong', stored); // false
 */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const [scheme, iterations, salt, hash] = stored.split('$');
  const saltBytes = fromBase64url(salt ?? '');
  const expected = fromBase64url(hash ?? '');
  const rounds = Number(iterations);
  if (scheme !== 'pbkdf2-sha256' || !saltBytes || !expected || !Number.isSafeInteger(rounds) || rounds < 1) {
    return false;
  }
  const actual = await derive(password, saltBytes, rounds);
  return constantTimeEqual(actual, expected);
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', utf8(password), 'PBKDF2', false, ['deriveBits']);
  const params = { name: 'PBKDF2', hash: 'SHA-256', salt, iterations };
  const bits = await crypto.subtle.deriveBits(params, key, HASH_BITS);
  return new Uint8Array(bits);
}

// Looks at every byte whatever the first difference, so timing does not reveal how much matched.
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
