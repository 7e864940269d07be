// Rotating refresh tokens, grouped in families (one family per login).
// Every refresh replaces the token; a replaced token that comes back means
// a copy exists somewhere, so the whole family is revoked.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Only hashes are stored: a leaked store does not leak usable tokens. */
const sha256 = (/** @type {string} */ token) => createHash('sha256').update(token).digest('base64url');

/**
 * @typedef {{ userId: string, generation: number, rotatedAt: number, revoked: boolean }} Family
 * @typedef {{ familyId: string, generation: number, expiresAt: number }} TokenRecord
 * @typedef {{ ok: true, token: string, userId: string }
 *   | { ok: false, reason: 'unknown' | 'expired' | 'revoked' | 'reused' }} RotateResult
 */

/**
 * @param {object} options
 * @param {number} options.ttl lifetime of each token, seconds
 * @param {number} options.reuseInterval grace period, seconds, in which the token just
 *   replaced may be presented again (two tabs refreshing at once, a retried request)
 * @param {() => number} options.now clock, epoch ms
 */
export function createRefreshTokenStore({ ttl, reuseInterval, now }) {
  /** @type {Map<string, Family>} */
  const families = new Map();
  /** @type {Map<string, TokenRecord>} keyed by SHA-256 of the token */
  const tokens = new Map();

  /** @param {string} familyId @param {Family} family */
  function mint(familyId, family) {
    const token = randomBytes(32).toString('base64url');
    tokens.set(sha256(token), { familyId, generation: family.generation, expiresAt: now() + ttl * 1000 });
    return token;
  }

  /** @param {string} token */
  function lookup(token) {
    const record = tokens.get(sha256(token));
    const family = record && families.get(record.familyId);
    return record && family ? { record, family } : undefined;
  }

  return {
    /** Starts a new family (a login). @param {string} userId */
    issue(userId) {
      // Expired tokens can never succeed again; drop them so memory stays bounded.
      for (const [hash, record] of tokens) if (record.expiresAt <= now()) tokens.delete(hash);
      const familyId = randomUUID();
      const family = { userId, generation: 0, rotatedAt: 0, revoked: false };
      families.set(familyId, family);
      return mint(familyId, family);
    },

    /** @param {string} token @returns {RotateResult} */
    rotate(token) {
      const found = lookup(token);
      if (!found) return { ok: false, reason: 'unknown' };
      const { record, family } = found;
      if (family.revoked) return { ok: false, reason: 'revoked' };
      if (record.expiresAt <= now()) return { ok: false, reason: 'expired' };
      if (record.generation === family.generation) {
        family.generation += 1;
        family.rotatedAt = now();
        return { ok: true, token: mint(record.familyId, family), userId: family.userId };
      }
      // The token replaced moments ago: a race, not theft. Hand out a sibling of the
      // newest token; the earlier sibling stays valid, whichever cookie the browser kept.
      if (record.generation === family.generation - 1 && now() - family.rotatedAt <= reuseInterval * 1000) {
        return { ok: true, token: mint(record.familyId, family), userId: family.userId };
      }
      // Reuse: we cannot tell the thief from the user, so end the session for both.
      family.revoked = true;
      return { ok: false, reason: 'reused' };
    },

    /** Revokes the token's family. @param {string} token @returns {string | undefined} its user id */
    revoke(token) {
      const found = lookup(token);
      if (found) found.family.revoked = true;
      return found?.family.userId;
    },

    /** Revokes every family of a user ("log out everywhere"). @param {string} userId */
    revokeUser(userId) {
      for (const family of families.values()) if (family.userId === userId) family.revoked = true;
    },
  };
}
