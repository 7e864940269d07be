// Where users, sessions and MFA state live. Pick a driver with `createStore`; both implement
// the AuthStore interface described in index.d.mts and are tested by one shared test file.
import { createMemoryStore } from './memory-store.mjs';

export { createMemoryStore };

/**
 * @typedef {import('./index.d.mts').AuthStore} AuthStore
 * @typedef {import('./index.d.mts').StoredUser} StoredUser
 * @typedef {import('./index.d.mts').Family} Family
 * @typedef {import('./index.d.mts').TokenRecord} TokenRecord
 * @typedef {import('./index.d.mts').MfaState} MfaState
 */

/**
 * The Redis store when `redisUrl` is set, else the in-memory one. The Redis client is loaded only
 * when asked for, so the memory store needs no `redis` package.
 * @param {{ redisUrl?: string | undefined, prefix?: string, now?: () => number }} [options]
 * @returns {Promise<AuthStore>}
 */
export async function createStore({ redisUrl, prefix, now } = {}) {
  if (!redisUrl) return createMemoryStore(now ? { now } : {});
  const { createRedisStore } = await import('./redis-store.mjs');
  return createRedisStore({ url: redisUrl, ...(prefix ? { prefix } : {}) });
}

/** @param {{ url: string, prefix?: string }} options */
export async function createRedisStore(options) {
  return (await import('./redis-store.mjs')).createRedisStore(options);
}
