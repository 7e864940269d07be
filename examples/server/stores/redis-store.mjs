// The Redis store: every instance pointing at the same Redis shares users, sessions and MFA state,
// and refresh token rotation is one atomic script (see redis-scripts.mjs), so two instances
// receiving the same token at once behave exactly as one instance would.
import { randomUUID } from 'node:crypto';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { createClient, defineScript } from 'redis';
import * as lua from './redis-scripts.mjs';

/** @typedef {import('./index.d.mts').AuthStore} AuthStore @typedef {import('./index.d.mts').Family} Family */

/** @param {string} source @param {number} keys */
const script = (source, keys) =>
  defineScript({
    SCRIPT: source,
    NUMBER_OF_KEYS: keys,
    /** @param {import('@redis/client').CommandParser} parser @param {string[]} keyArgs @param {(string | number)[]} args */
    parseCommand(parser, keyArgs, args = []) {
      for (const key of keyArgs) parser.pushKey(key);
      for (const arg of args) parser.push(String(arg));
    },
    transformReply: /** @type {() => unknown} */ (/** @type {unknown} */ (undefined)),
  });

const scripts = {
  tkCreateUser: script(lua.CREATE_USER, 2),
  tkCreateFamily: script(lua.CREATE_FAMILY, 3),
  tkFindToken: script(lua.FIND_TOKEN, 1),
  tkCommitToken: script(lua.COMMIT_TOKEN, 2),
  tkRevokeFamily: script(lua.REVOKE_FAMILY, 1),
  tkRevokeUserFamilies: script(lua.REVOKE_USER_FAMILIES, 1),
  tkTakeAttempt: script(lua.TAKE_ATTEMPT, 1),
};

/** The family fields FIND_TOKEN returns, in order. */
const FAMILY_FIELDS = ['userId', 'generation', 'rotatedAt', 'revoked', 'createdAt', 'lastUsedAt', 'userAgent'];

/** @param {Record<string, string>} hash @param {string} id @returns {Family} */
const familyFromHash = (hash, id) => ({
  id,
  userId: String(hash['userId']),
  generation: Number(hash['generation']),
  rotatedAt: Number(hash['rotatedAt']),
  revoked: hash['revoked'] === '1',
  createdAt: Number(hash['createdAt']),
  lastUsedAt: Number(hash['lastUsedAt']),
  userAgent: hash['userAgent'] || undefined,
});

/**
 * @param {import('./index.d.mts').RedisStoreOptions} options
 * @returns {Promise<AuthStore>}
 */
export async function createRedisStore({ url, prefix = 'tk:' }) {
  let connected = false;
  let lastError = '';
  const client = createClient({
    url,
    scripts,
    // Fail a request at once while Redis is away (the client sees a 500 and keeps its session)
    // rather than queueing it; keep reconnecting, but give up on a first connect that never works.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      reconnectStrategy: (retries, cause) => (!connected && retries >= 3 ? cause : Math.min(100 * 2 ** retries, 2000)),
    },
  });
  // Without a listener an 'error' event would crash the process; say it once per outage.
  client.on('error', (/** @type {Error} */ error) => {
    if (connected && error.message !== lastError) console.error(`redis: ${error.message} (reconnecting)`);
    lastError = error.message;
  });
  client.on('ready', () => (lastError = ''));
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`cannot reach Redis at ${redactUrl(url)}: ${error instanceof Error ? error.message : error}`);
  }
  connected = true;

  const key = {
    user: (/** @type {string} */ id) => `${prefix}user:${id}`,
    email: (/** @type {string} */ email) => `${prefix}email:${email.toLowerCase()}`,
    family: (/** @type {string} */ id) => `${prefix}family:${id}`,
    token: (/** @type {string} */ hash) => `${prefix}token:${hash}`,
    userFamilies: (/** @type {string} */ userId) => `${prefix}user-families:${userId}`,
    mfa: (/** @type {string} */ userId) => `${prefix}mfa:${userId}`,
    attempts: (/** @type {string} */ name) => `${prefix}attempts:${name}`,
    once: (/** @type {string} */ name) => `${prefix}once:${name}`,
    accessGeneration: `${prefix}access-generation`,
  };
  const parseJson = (/** @type {string | null} */ text) => (text === null ? undefined : JSON.parse(text));

  return {
    async createUser({ email, name, passwordHash }) {
      const user = { id: randomUUID(), email, name, passwordHash };
      const created = await client.tkCreateUser([key.email(email), key.user(user.id)], [user.id, JSON.stringify(user)]);
      return created === 1 ? user : null;
    },
    async findUserByEmail(email) {
      const id = await client.get(key.email(email));
      return id === null ? undefined : parseJson(await client.get(key.user(id)));
    },
    async findUserById(id) {
      return parseJson(await client.get(key.user(id)));
    },

    async createFamily({ userId, userAgent, tokenHash, expiresAt, now, ttlMs }) {
      const id = randomUUID();
      await client.tkCreateFamily(
        [key.family(id), key.token(tokenHash), key.userFamilies(userId)],
        [id, userId, now, userAgent ?? '', expiresAt, ttlMs, key.family('')],
      );
      return id;
    },
    async findToken(tokenHash) {
      const reply = /** @type {(string | null)[] | null} */ (await client.tkFindToken([key.token(tokenHash)], [key.family('')]));
      if (!reply) return undefined;
      const [familyId = '', generation, expiresAt, ...familyFields] = reply.map((value) => value ?? '');
      const hash = Object.fromEntries(FAMILY_FIELDS.map((name, i) => [name, familyFields[i] ?? '']));
      return {
        token: { familyId, generation: Number(generation), expiresAt: Number(expiresAt) },
        family: familyFromHash(hash, familyId),
      };
    },
    async commitToken(familyId, { expectedGeneration, advance, tokenHash, expiresAt, now, ttlMs }) {
      const committed = await client.tkCommitToken(
        [key.family(familyId), key.token(tokenHash)],
        [expectedGeneration, advance ? 1 : 0, now, familyId, expiresAt, ttlMs],
      );
      return committed === 1;
    },
    async getFamily(familyId) {
      const hash = await client.hGetAll(key.family(familyId));
      return hash['userId'] ? familyFromHash(hash, familyId) : undefined;
    },
    async revokeFamily(familyId) {
      await client.tkRevokeFamily([key.family(familyId)]);
    },
    async revokeUserFamilies(userId) {
      await client.tkRevokeUserFamilies([key.userFamilies(userId)], [key.family('')]);
    },
    async listFamilies(userId) {
      const ids = await client.sMembers(key.userFamilies(userId));
      const hashes = await Promise.all(ids.map((id) => client.hGetAll(key.family(id))));
      return ids.flatMap((id, i) => {
        const hash = hashes[i] ?? {};
        return hash['userId'] && hash['revoked'] !== '1' ? [familyFromHash(hash, id)] : [];
      });
    },

    async getMfa(userId) {
      return parseJson(await client.get(key.mfa(userId)));
    },
    async setMfa(userId, state) {
      await client.set(key.mfa(userId), JSON.stringify(state));
    },
    async deleteMfa(userId) {
      await client.del(key.mfa(userId));
    },
    async takeAttempt(name, limit, windowMs) {
      const [taken, value] = /** @type {[number, number]} */ (await client.tkTakeAttempt([key.attempts(name)], [limit, windowMs]));
      return taken === 1 ? { taken: true, left: value } : { taken: false, retryAfterMs: value };
    },
    async clearAttempts(name) {
      await client.del(key.attempts(name));
    },
    rateLimiter: ({ keyPrefix, ...options }) =>
      new RateLimiterRedis({ storeClient: client, useRedisPackage: true, keyPrefix: `${prefix}${keyPrefix}`, ...options }),
    async useOnce(name, ttlMs) {
      return (await client.set(key.once(name), '1', { NX: true, PX: ttlMs })) === 'OK';
    },

    async accessTokenGeneration() {
      return Number((await client.get(key.accessGeneration)) ?? 0);
    },
    async bumpAccessTokenGeneration() {
      await client.incr(key.accessGeneration);
    },

    async close() {
      connected = false;
      if (client.isOpen) await client.close();
    },
  };
}

/** The URL without its password, for messages. @param {string} url */
function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an invalid URL)';
  }
}
