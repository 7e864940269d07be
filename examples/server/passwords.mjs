// Password hashing with scrypt from node:crypto: memory-hard, so a stolen
// user table is expensive to brute-force, and no native dependency is needed.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 64;

/** @param {string} password @param {Buffer} salt @param {number} length @returns {Promise<Buffer>} */
function derive(password, salt, length) {
  // NFKC so the same password typed on different keyboards hashes the same way.
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, length, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * Hashes a password with a fresh random salt.
 * @param {string} password
 * @returns {Promise<string>} `scrypt$<salt>$<hash>` (base64url), safe to store.
 */
export async function hashPassword(password) {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, KEY_LENGTH);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/**
 * @param {string} password
 * @param {string} stored a value from hashPassword()
 * @returns {Promise<boolean>}
 */
export async function verifyPassword(password, stored) {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), expected.length);
  // Constant-time compare: an early exit would leak how many bytes matched.
  return timingSafeEqual(actual, expected);
}
