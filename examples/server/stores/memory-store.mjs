// The default store: Maps in this process. Nothing to install, but a restart forgets everything
// and a second instance sees none of it; use the Redis store for that.
// Each method is synchronous inside, so a call is atomic with respect to every other call.
import { randomUUID } from 'node:crypto';
import { RateLimiterMemory } from 'rate-limiter-flexible';

/** @typedef {import('./index.d.mts').AuthStore} AuthStore */

/**
 * @param {{ now?: () => number }} [options] `now` (epoch ms) decides when entries expire
 * @returns {AuthStore}
 */
export function createMemoryStore({ now = Date.now } = {}) {
  /** @type {Map<string, import('./index.d.mts').StoredUser>} */ const users = new Map();
  /** @type {Map<string, string>} lower-cased email → user id */ const emails = new Map();
  /** @type {Map<string, import('./index.d.mts').Family & { evictAt: number }>} */ const families = new Map();
  /** @type {Map<string, import('./index.d.mts').TokenRecord & { evictAt: number }>} keyed by token hash */
  const tokens = new Map();
  /** @type {Map<string, Set<string>>} user id → family ids */ const userFamilies = new Map();
  /** @type {Map<string, import('./index.d.mts').MfaState>} */ const mfa = new Map();
  /** @type {Map<string, { count: number, evictAt: number }>} */ const counters = new Map();
  /** @type {Map<string, number>} key → evictAt */ const onceKeys = new Map();
  /** @type {Map<string, RateLimiterMemory>} one per configuration: every caller of this store shares its counts */
  const limiters = new Map();
  let accessGeneration = 0;

  /** @template {{ evictAt: number }} T @param {Map<string, T>} map @param {string} key */
  const live = (map, key) => {
    const entry = map.get(key);
    if (entry && entry.evictAt <= now()) map.delete(key);
    return entry && entry.evictAt > now() ? entry : undefined;
  };
  /** Copies out, so callers can never change stored state except through these methods. */
  const familyOut = (/** @type {import('./index.d.mts').Family & { evictAt: number }} */ { evictAt, ...family }) => family;

  // Expired entries can never be used again; dropping them at each login keeps memory bounded.
  function sweep() {
    for (const map of [tokens, families, counters]) for (const [key, entry] of map) if (entry.evictAt <= now()) map.delete(key);
    for (const [key, evictAt] of onceKeys) if (evictAt <= now()) onceKeys.delete(key);
    for (const ids of userFamilies.values()) for (const id of ids) if (!families.has(id)) ids.delete(id);
  }

  return {
    async createUser({ email, name, passwordHash }) {
      const key = email.toLowerCase();
      if (emails.has(key)) return null;
      const user = { id: randomUUID(), email, name, passwordHash };
      emails.set(key, user.id);
      users.set(user.id, user);
      return { ...user };
    },
    async findUserByEmail(email) {
      const id = emails.get(email.toLowerCase());
      const user = id === undefined ? undefined : users.get(id);
      return user && { ...user };
    },
    async findUserById(id) {
      const user = users.get(id);
      return user && { ...user };
    },

    async createFamily({ userId, userAgent, tokenHash, expiresAt, now: at, ttlMs }) {
      sweep();
      const id = randomUUID();
      const evictAt = now() + ttlMs;
      families.set(id, { id, userId, generation: 0, rotatedAt: 0, revoked: false, createdAt: at, lastUsedAt: at, userAgent, evictAt });
      tokens.set(tokenHash, { familyId: id, generation: 0, expiresAt, evictAt });
      userFamilies.set(userId, (userFamilies.get(userId) ?? new Set()).add(id));
      return id;
    },
    async findToken(tokenHash) {
      const record = live(tokens, tokenHash);
      const family = record && live(families, record.familyId);
      if (!record || !family) return undefined;
      return { token: { familyId: record.familyId, generation: record.generation, expiresAt: record.expiresAt }, family: familyOut(family) };
    },
    async commitToken(familyId, { expectedGeneration, advance, tokenHash, expiresAt, now: at, ttlMs }) {
      const family = live(families, familyId);
      if (!family || family.revoked || family.generation !== expectedGeneration) return false;
      if (advance) {
        family.generation += 1;
        family.rotatedAt = at;
      }
      family.lastUsedAt = at;
      family.evictAt = now() + ttlMs; // a family lives as long as its newest token
      tokens.set(tokenHash, { familyId, generation: family.generation, expiresAt, evictAt: family.evictAt });
      return true;
    },
    async getFamily(familyId) {
      const family = live(families, familyId);
      return family && familyOut(family);
    },
    async revokeFamily(familyId) {
      const family = live(families, familyId);
      if (family) family.revoked = true;
    },
    async revokeUserFamilies(userId) {
      for (const id of userFamilies.get(userId) ?? []) {
        const family = live(families, id);
        if (family) family.revoked = true;
      }
    },
    async listFamilies(userId) {
      const ids = [...(userFamilies.get(userId) ?? [])];
      return ids.flatMap((id) => {
        const family = live(families, id);
        return family && !family.revoked ? [familyOut(family)] : [];
      });
    },

    async getMfa(userId) {
      const state = mfa.get(userId);
      return state && { ...state };
    },
    async setMfa(userId, state) {
      mfa.set(userId, { ...state });
    },
    async deleteMfa(userId) {
      mfa.delete(userId);
    },
    async takeAttempt(key, limit, windowMs) {
      const counter = live(counters, key) ?? { count: 0, evictAt: now() + windowMs };
      if (counter.count >= limit) return { taken: false, retryAfterMs: counter.evictAt - now() };
      counter.count += 1;
      counters.set(key, counter);
      return { taken: true, left: limit - counter.count };
    },
    async clearAttempts(key) {
      counters.delete(key);
    },
    rateLimiter(options) {
      const id = JSON.stringify(options);
      const limiter = limiters.get(id) ?? new RateLimiterMemory(options);
      limiters.set(id, limiter);
      return limiter;
    },
    async useOnce(key, ttlMs) {
      const evictAt = onceKeys.get(key);
      if (evictAt !== undefined && evictAt > now()) return false;
      onceKeys.set(key, now() + ttlMs);
      return true;
    },

    async accessTokenGeneration() {
      return accessGeneration;
    },
    async bumpAccessTokenGeneration() {
      accessGeneration += 1;
    },

    async close() {},
  };
}
