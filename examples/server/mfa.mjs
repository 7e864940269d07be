// The second factor's rules over the store: the stateless login challenge (`mfaToken`), the tries
// per account and the replay guard. A challenge is a signed JWT, not a stored record: any instance
// that shares the signing configuration accepts it.
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { PERIOD, matchStep } from './totp.mjs';

/** Seconds a challenge lives. */
const CHALLENGE_TTL = 300;
const TYP = 'mfa+jwt';

/**
 * @param {object} options
 * @param {import('./stores/index.d.mts').AuthStore} options.store
 * @param {() => Uint8Array} options.key HS256 key for challenges, never the access tokens' key
 *   (a function: the key is known once the app's configuration is loaded)
 * @param {() => number} options.now clock, epoch ms
 * @param {number} options.codesPerAccount wrong codes an account may try per window
 * @param {number} options.windowMs the window, from its first try
 */
export function createMfa({ store, key, now, codesPerAccount, windowMs }) {
  const ttlMs = CHALLENGE_TTL * 1000;
  return {
    /** A signed challenge: who, what for, until when, and an id for its counters. @param {string} userId */
    async challenge(userId) {
      const iat = Math.floor(now() / 1000);
      return new SignJWT({ purpose: 'mfa' })
        .setProtectedHeader({ alg: 'HS256', typ: TYP })
        .setSubject(userId)
        .setJti(randomUUID())
        .setIssuedAt(iat)
        .setExpirationTime(iat + CHALLENGE_TTL)
        .sign(key());
    },

    /**
     * The challenge's user and id; `null` when forged, expired or for another purpose.
     * @param {string} token @returns {Promise<{ userId: string, id: string } | null>}
     */
    async readChallenge(token) {
      try {
        const { payload } = await jwtVerify(token, key(), { algorithms: ['HS256'], typ: TYP, currentDate: new Date(now()) });
        if (payload['purpose'] !== 'mfa' || typeof payload.sub !== 'string' || typeof payload.jti !== 'string') return null;
        return { userId: payload.sub, id: payload.jti };
      } catch {
        return null;
      }
    },

    /** Marks a challenge used; `false` when another request (on any instance) used it first. @param {string} id */
    spend: (id) => store.useOnce(`mfa-challenge:${id}`, ttlMs),

    /**
     * Takes one of the account's tries before its code is checked, atomically on every instance:
     * one budget for login challenges, confirm and disable, so neither a new challenge nor another
     * endpoint is more guesses. @param {string} userId
     */
    attempt: (userId) => store.takeAttempt(`mfa:${userId}`, codesPerAccount, windowMs),
    /** A right code: the account's count starts again. @param {string} userId */
    succeeded: (userId) => store.clearAttempts(`mfa:${userId}`),

    /**
     * Checks a code and spends it: the same code is refused for the rest of its window, on every instance.
     * @param {string} userId @param {string} secret @param {unknown} code
     * @returns {Promise<'ok' | 'wrong' | 'replayed'>}
     */
    async check(userId, secret, code) {
      const at = now();
      const step = typeof code === 'string' ? matchStep(secret, code.replace(/\s/g, ''), at) : null;
      if (step === null) return 'wrong';
      // A code is accepted until the end of the step after its own.
      const window = (step + 2) * PERIOD * 1000 - at;
      return (await store.useOnce(`totp:${userId}:${step}`, window)) ? 'ok' : 'replayed';
    },
  };
}
