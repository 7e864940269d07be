// Rotating refresh tokens, grouped in families (one family per login). Every refresh replaces
// the token; a replaced token that comes back means a copy exists somewhere, so the whole family
// is revoked. The rules live here, once; the store only offers an atomic compare-and-set
// (commitToken), which makes them hold across any number of instances sharing a store.
import { createHash, randomBytes } from 'node:crypto';

/** Only hashes are stored: a leaked store does not leak usable tokens. */
const sha256 = (/** @type {string} */ token) => createHash('sha256').update(token).digest('base64url');

/** A commit loses only when another call changed the family first; this many losses in a row is a bug or an attack. */
const MAX_ATTEMPTS = 8;

/**
 * @typedef {{ ok: true, token: string, userId: string, familyId: string, rotated: boolean }
 *   | { ok: false, reason: 'unknown' | 'expired' | 'revoked' | 'reused' }} RotateResult
 *   `rotated`: false when the answer is a sibling handed out within the reuse interval
 */

/**
 * @param {object} options
 * @param {import('./stores/index.d.mts').AuthStore} options.store
 * @param {number} options.ttl lifetime of each token, seconds
 * @param {number} options.reuseInterval grace period, seconds, in which the token just replaced
 *   may be presented again (two tabs refreshing at once, a retried request); 0: never
 * @param {() => number} options.now clock, epoch ms
 */
export function createRefreshTokens({ store, ttl, reuseInterval, now }) {
  const ttlMs = ttl * 1000;
  const fresh = () => {
    const token = randomBytes(32).toString('base64url');
    const at = now();
    return { token, tokenHash: sha256(token), now: at, expiresAt: at + ttlMs, ttlMs };
  };

  return {
    /** Starts a new family (a login). @param {string} userId @param {string} [userAgent] */
    async issue(userId, userAgent) {
      const { token, ...record } = fresh();
      const familyId = await store.createFamily({ ...record, userId, userAgent: userAgent?.slice(0, 256) });
      return { token, familyId };
    },

    /** @param {string} token @returns {Promise<RotateResult>} */
    async rotate(token) {
      const tokenHash = sha256(token);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const found = await store.findToken(tokenHash);
        if (!found) return { ok: false, reason: 'unknown' };
        const { token: record, family } = found;
        if (family.revoked) return { ok: false, reason: 'revoked' };
        if (record.expiresAt <= now()) return { ok: false, reason: 'expired' };
        const current = record.generation === family.generation;
        // The token replaced moments ago: a race, not theft. Hand out a sibling of the newest
        // token; the earlier sibling stays valid, whichever cookie the browser kept. With a
        // reuse interval of 0 there is no such moment, not even within the same millisecond.
        const justReplaced = record.generation === family.generation - 1 && reuseInterval > 0 &&
          now() - family.rotatedAt <= reuseInterval * 1000;
        if (!current && !justReplaced) {
          // Reuse: we cannot tell the thief from the user, so end the session for both.
          await store.revokeFamily(family.id);
          return { ok: false, reason: 'reused' };
        }
        const next = fresh();
        const committed = await store.commitToken(family.id, { ...next, expectedGeneration: family.generation, advance: current });
        if (committed) return { ok: true, token: next.token, userId: family.userId, familyId: family.id, rotated: current };
        // Another request changed the family between our read and our write: decide again on
        // what it left, exactly as if the two had arrived one after the other.
      }
      throw new Error('refresh token family kept changing under this rotation');
    },

    /** Revokes the token's family. @param {string} token @returns {Promise<string | undefined>} its user id */
    async revoke(token) {
      const found = await store.findToken(sha256(token));
      if (found) await store.revokeFamily(found.family.id);
      return found?.family.userId;
    },

    /** The family of a token, current or replaced, whatever its state. @param {string} token */
    familyOf: async (/** @type {string} */ token) => (await store.findToken(sha256(token)))?.family,

    /** Revokes every family of a user ("log out everywhere"). @param {string} userId */
    revokeUser: (/** @type {string} */ userId) => store.revokeUserFamilies(userId),
  };
}
