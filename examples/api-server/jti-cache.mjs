// Spent DPoP proof ids, in memory: the one store method the proof check needs (`useOnce`).
// One process only; instances behind a balancer need a shared store, or a proof could be
// replayed once on each of them.

/**
 * @param {{ now?: () => number }} [options] `now` (epoch ms) decides when an id may be forgotten
 * @returns {Pick<import('../server/stores/index.d.mts').AuthStore, 'useOnce'>}
 */
export function createJtiCache({ now = Date.now } = {}) {
  /** @type {Map<string, number>} id → forget at */
  const spent = new Map();
  return {
    async useOnce(key, ttlMs) {
      // Every id gets the same ttl, so insertion order is expiry order: sweep from the front.
      for (const [id, forgetAt] of spent) {
        if (forgetAt > now()) break;
        spent.delete(id);
      }
      if (spent.has(key)) return false;
      spent.set(key, now() + ttlMs);
      return true;
    },
  };
}
