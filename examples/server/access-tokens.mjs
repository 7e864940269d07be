// Short-lived access tokens: HS256 JWTs signed and checked with jose.
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

/**
 * @typedef {{ id: string, email: string, name: string }} User
 * @typedef {import('jose').JWTPayload & { sub: string, exp: number, email: string, name: string }} Claims
 */

/**
 * @param {object} options
 * @param {string | Uint8Array} [options.secret] HMAC key; random by default (tokens die with the process)
 * @param {number} options.ttl seconds
 * @param {() => number} options.now clock, epoch ms
 */
export function createAccessTokens({ secret = randomBytes(32), ttl, now }) {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  // Bumped by expireAll(). A counter rather than an issued-at cut-off, because
  // `iat` has one-second resolution and tokens issued in the same second would survive.
  let generation = 0;

  return {
    /** @param {User} user @returns {Promise<string>} */
    issue(user) {
      const iat = Math.floor(now() / 1000);
      return new SignJWT({ email: user.email, name: user.name, gen: generation })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(user.id)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttl)
        .setJti(randomUUID())
        .sign(key);
    },

    /** @param {string | null} token @returns {Promise<Claims | null>} null when invalid or expired */
    async verify(token) {
      if (!token) return null;
      try {
        // Pin the algorithm: never let the token's header choose how it is checked.
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], currentDate: new Date(now()) });
        return payload.gen === generation ? /** @type {Claims} */ (payload) : null;
      } catch {
        return null;
      }
    },

    /** Invalidates every access token issued so far (demo of a silent refresh). */
    expireAll() {
      generation += 1;
    },
  };
}
