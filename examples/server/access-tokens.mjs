// Short-lived access tokens: JWTs signed and checked with jose, HS256 or ES256, `kid` in every header.
import { randomUUID } from 'node:crypto';
import { SignJWT, createLocalJWKSet, jwtVerify } from 'jose';

/**
 * @typedef {{ id: string, email: string, name: string }} User
 * @typedef {import('jose').JWTPayload & { sub: string, exp: number, email: string, name: string, sid?: string, cnf?: { jkt?: unknown } }} Claims
 *   `sid`: the session (refresh token family) the token was issued to; `cnf.jkt`: the DPoP key it is bound to
 */

/**
 * @param {object} options
 * @param {import('./signing-keys.mjs').SigningKey} options.key
 * @param {import('./stores/index.d.mts').AuthStore} options.store holds the generation that expireAll() bumps
 * @param {number} options.ttl seconds
 * @param {() => number} options.now clock, epoch ms
 */
export function createAccessTokens({ key, store, ttl, now }) {
  const { alg, kid } = key;
  // ES256 tokens are checked as an API server would: against the published key set, by kid.
  const verifyKey = key.publicJwk ? createLocalJWKSet({ keys: [key.publicJwk] }) : key.privateKey;

  return {
    /**
     * @param {User} user @param {string} sid the session's id
     * @param {string} [jkt] the DPoP key's thumbprint, to bind the token to (RFC 9449 §6)
     * @returns {Promise<string>}
     */
    async issue(user, sid, jkt) {
      const iat = Math.floor(now() / 1000);
      // The generation comes from the store, so expireAll() on one instance reaches all of them.
      const claims = { email: user.email, name: user.name, sid, gen: await store.accessTokenGeneration(), ...(jkt ? { cnf: { jkt } } : {}) };
      return new SignJWT(claims)
        .setProtectedHeader({ alg, typ: 'JWT', kid })
        .setSubject(user.id)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttl)
        .setJti(randomUUID())
        .sign(key.privateKey);
    },

    /** @param {string | null} token @returns {Promise<Claims | null>} null when invalid or expired */
    async verify(token) {
      if (!token) return null;
      try {
        // Pin the algorithm: never let the token's header choose how it is checked.
        const { payload, protectedHeader } = await jwtVerify(token, /** @type {Uint8Array} */ (verifyKey), {
          algorithms: [alg],
          currentDate: new Date(now()),
        });
        if (protectedHeader.kid !== kid) return null;
        return payload['gen'] === (await store.accessTokenGeneration()) ? /** @type {Claims} */ (payload) : null;
      } catch {
        return null;
      }
    },

    /** The public key set, for ES256; `undefined` for HS256, whose key must never be published. */
    jwks: () => (key.publicJwk ? { keys: [key.publicJwk] } : undefined),

    /** Invalidates every access token issued so far, on every instance (demo of a silent refresh). */
    expireAll: () => store.bumpAccessTokenGeneration(),
  };
}
