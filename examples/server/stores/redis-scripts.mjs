// Lua scripts for the Redis store. Redis runs each script alone, start to finish, so a script
// is the unit of atomicity: no other instance's command lands between its reads and writes.
// Some keys are built inside the scripts from a prefix (a token names its family): fine on a
// single Redis or a replicated one, not on Redis Cluster.

/** KEYS: email key, user key. ARGV: user id, user JSON. 1 when created, 0 when the email is taken. */
export const CREATE_USER = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  redis.call('SET', KEYS[2], ARGV[2])
  return 1
end
return 0`;

/**
 * KEYS: family key, token key, user's family set. ARGV: family id, user id, now, user agent,
 * expiresAt, ttl ms, family key prefix. Also forgets the user's families that have expired.
 */
export const CREATE_FAMILY = `
for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if redis.call('EXISTS', ARGV[7] .. id) == 0 then redis.call('SREM', KEYS[3], id) end
end
redis.call('HSET', KEYS[1], 'userId', ARGV[2], 'generation', 0, 'rotatedAt', 0, 'revoked', 0,
  'createdAt', ARGV[3], 'lastUsedAt', ARGV[3], 'userAgent', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('HSET', KEYS[2], 'familyId', ARGV[1], 'generation', 0, 'expiresAt', ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('SADD', KEYS[3], ARGV[1])
return 1`;

/** KEYS: token key. ARGV: family key prefix. The token's and its family's fields, or nil. */
export const FIND_TOKEN = `
local t = redis.call('HMGET', KEYS[1], 'familyId', 'generation', 'expiresAt')
if not t[1] then return nil end
local f = redis.call('HMGET', ARGV[1] .. t[1], 'userId', 'generation', 'rotatedAt', 'revoked', 'createdAt', 'lastUsedAt', 'userAgent')
if not f[1] then return nil end
return { t[1], t[2], t[3], f[1], f[2], f[3], f[4], f[5], f[6], f[7] }`;

/**
 * The compare-and-set at the heart of rotation. KEYS: family key, new token key.
 * ARGV: expected generation, advance (1/0), now, family id, expiresAt, ttl ms. 1 when committed.
 */
export const COMMIT_TOKEN = `
local f = redis.call('HMGET', KEYS[1], 'generation', 'revoked')
if not f[1] or f[2] == '1' or tonumber(f[1]) ~= tonumber(ARGV[1]) then return 0 end
local generation = tonumber(f[1])
if ARGV[2] == '1' then
  generation = generation + 1
  redis.call('HSET', KEYS[1], 'generation', generation, 'rotatedAt', ARGV[3])
end
redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('HSET', KEYS[2], 'familyId', ARGV[4], 'generation', generation, 'expiresAt', ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
return 1`;

/** KEYS: family key. Marks it revoked if it still exists (HSET alone would resurrect it, without a TTL). */
export const REVOKE_FAMILY = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'revoked', 1) end
return 1`;

/** KEYS: user's family set. ARGV: family key prefix. */
export const REVOKE_USER_FAMILIES = `
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. id) == 1 then
    redis.call('HSET', ARGV[1] .. id, 'revoked', 1)
  else
    redis.call('SREM', KEYS[1], id)
  end
end
return 1`;

/**
 * A guessing limit's check and count in one step. KEYS: counter key. ARGV: limit, window ms (set
 * on the first try only). { 1, tries left } after taking one, or { 0, ms until the window ends }.
 */
export const TAKE_ATTEMPT = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then return { 0, redis.call('PTTL', KEYS[1]) } end
n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return { 1, tonumber(ARGV[1]) - n }`;
