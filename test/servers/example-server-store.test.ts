// @vitest-environment node
// One contract, two drivers: every test here runs against the memory store and the Redis store.
// "Two instances" are two handles on the same data: the same object in memory (one process), two
// connections to one redis-server for Redis (two processes would connect the same way).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createRefreshTokens } from '../../examples/server/refresh-tokens.mjs';
import { createMemoryStore, createRedisStore, type AuthStore } from '../../examples/server/stores/index.mjs';
import { describeWithRedis } from '../support/redis';

interface Instances { a: AuthStore; b: AuthStore }
/** Lets `ms` of the stores' time pass. */
type Pass = (ms: number) => Promise<void>;

/**
 * The time to live of the entries the expiry tests watch die. Redis keeps its own (real) time, so
 * it must be long enough that "still there right after writing" holds on a loaded machine.
 */
const SHORT_TTL_MS = 1_000;

describe('memory store', () => {
  // Its own clock: the expiry tests move it instead of sleeping.
  let now = Date.now();
  storeContract(
    async () => {
      const store = createMemoryStore({ now: () => now });
      return { a: store, b: store };
    },
    async (ms) => void (now += ms),
  );
});

describeWithRedis('Redis store', (redis) => {
  storeContract(
    async () => {
      // A prefix per test: a clean slate without flushing what other tests use.
      const prefix = `test-${randomUUID()}:`;
      const [a, b] = await Promise.all([createRedisStore({ url: redis().url, prefix }), createRedisStore({ url: redis().url, prefix })]);
      return { a, b };
    },
    (ms) => sleep(ms), // at least `ms`, however loaded the machine: Redis's clock has moved as far
  );

  it('rejects an unreachable Redis with a readable error', async () => {
    await expect(createRedisStore({ url: 'redis://:secret@127.0.0.1:1' })).rejects.toThrow(
      /^cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1/,
    );
  });
});

function storeContract(open: () => Promise<Instances>, pass: Pass) {
  let opened: AuthStore[] = [];
  async function instances() {
    const pair = await open();
    opened.push(pair.a, pair.b);
    return pair;
  }
  afterEach(async () => {
    await Promise.all([...new Set(opened)].map((store) => store.close()));
    opened = [];
  });

  const HOUR = 3_600_000;
  const token = (hash: string, now = 1000, ttlMs = HOUR) => ({ tokenHash: hash, expiresAt: now + ttlMs, now, ttlMs });

  describe('users', () => {
    it('assigns the id once; every instance finds the same user by id or any-case email', async () => {
      const { a, b } = await instances();
      const user = await a.createUser({ email: 'Ann@Example.com', name: 'Ann', passwordHash: 'h' });
      expect(user).toEqual({ id: expect.any(String), email: 'Ann@Example.com', name: 'Ann', passwordHash: 'h' });
      expect(await b.findUserByEmail('ann@example.COM')).toEqual(user);
      expect(await b.findUserById(user!.id)).toEqual(user);
      expect(await b.findUserByEmail('nobody@example.com')).toBeUndefined();
      expect(await b.findUserById('no-such-id')).toBeUndefined();
    });

    it('lets exactly one of many concurrent registrations of an email through', async () => {
      const { a, b } = await instances();
      const attempts = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).createUser({ email: i % 2 ? 'SAME@example.com' : 'same@example.com', name: `n${i}`, passwordHash: 'h' })),
      );
      const winners = attempts.filter((user) => user !== null);
      expect(winners).toHaveLength(1);
      expect((await a.findUserByEmail('same@example.com'))?.id).toBe(winners[0]!.id);
    });
  });

  describe('refresh families', () => {
    it('stores a family with its first token, and the device fields a session list shows', async () => {
      const { a, b } = await instances();
      const familyId = await a.createFamily({ ...token('h0', 5000), userId: 'u1', userAgent: 'Firefox' });
      const family = { id: familyId, userId: 'u1', generation: 0, rotatedAt: 0, revoked: false, createdAt: 5000, lastUsedAt: 5000, userAgent: 'Firefox' };
      expect(await b.findToken('h0')).toEqual({ token: { familyId, generation: 0, expiresAt: 5000 + HOUR }, family });
      expect(await b.getFamily(familyId)).toEqual(family);
      expect(await b.findToken('unknown')).toBeUndefined();
      const anonymous = await a.createFamily({ ...token('h1'), userId: 'u1' });
      expect((await b.getFamily(anonymous))?.userAgent).toBeUndefined();
    });

    it('commits a token only at the expected generation, advancing or not', async () => {
      const { a, b } = await instances();
      const familyId = await a.createFamily({ ...token('h0'), userId: 'u1' });
      expect(await b.commitToken(familyId, { ...token('h1', 2000), expectedGeneration: 0, advance: true })).toBe(true);
      expect(await a.getFamily(familyId)).toMatchObject({ generation: 1, rotatedAt: 2000, lastUsedAt: 2000 });
      expect((await a.findToken('h1'))?.token).toEqual({ familyId, generation: 1, expiresAt: 2000 + HOUR });
      // A stale expectation changes nothing, not even lastUsedAt, and stores no token.
      expect(await a.commitToken(familyId, { ...token('stale', 3000), expectedGeneration: 0, advance: true })).toBe(false);
      expect(await b.findToken('stale')).toBeUndefined();
      expect(await b.getFamily(familyId)).toMatchObject({ generation: 1, lastUsedAt: 2000 });
      // A sibling: same generation, rotatedAt kept, lastUsedAt moves.
      expect(await a.commitToken(familyId, { ...token('h1b', 4000), expectedGeneration: 1, advance: false })).toBe(true);
      expect(await b.getFamily(familyId)).toMatchObject({ generation: 1, rotatedAt: 2000, lastUsedAt: 4000 });
      expect((await b.findToken('h1b'))?.token.generation).toBe(1);
      expect(await a.commitToken('no-such-family', { ...token('x'), expectedGeneration: 0, advance: true })).toBe(false);
    });

    it('of many concurrent commits at one generation across two instances, exactly one wins', async () => {
      const { a, b } = await instances();
      const familyId = await a.createFamily({ ...token('h0'), userId: 'u1' });
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).commitToken(familyId, { ...token(`h${i + 1}`), expectedGeneration: 0, advance: true })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await a.getFamily(familyId))?.generation).toBe(1);
    });

    it('revokes one family, or all of a user, and lists only live families', async () => {
      const { a, b } = await instances();
      const laptop = await a.createFamily({ ...token('l0', 1000), userId: 'u1', userAgent: 'laptop' });
      const phone = await a.createFamily({ ...token('p0', 2000), userId: 'u1', userAgent: 'phone' });
      const other = await a.createFamily({ ...token('o0'), userId: 'u2' });
      const agents = async (userId: string) => (await b.listFamilies(userId)).map((f) => f.userAgent).sort();
      expect(await agents('u1')).toEqual(['laptop', 'phone']);

      await b.revokeFamily(laptop);
      expect((await a.findToken('l0'))?.family.revoked).toBe(true);
      expect(await a.commitToken(laptop, { ...token('l1'), expectedGeneration: 0, advance: true })).toBe(false);
      expect(await agents('u1')).toEqual(['phone']);

      await b.revokeUserFamilies('u1');
      expect((await a.getFamily(phone))?.revoked).toBe(true);
      expect(await a.listFamilies('u1')).toEqual([]);
      expect((await a.getFamily(other))?.revoked).toBe(false);
      await b.revokeFamily('no-such-family');
      expect(await a.getFamily('no-such-family')).toBeUndefined();
    });

    it('forgets tokens and families after their time to live', async () => {
      const { a, b } = await instances();
      const familyId = await a.createFamily({ ...token('short', Date.now(), SHORT_TTL_MS), userId: 'u1' });
      expect(await b.findToken('short')).toBeDefined();
      await pass(SHORT_TTL_MS + 100);
      expect(await b.findToken('short')).toBeUndefined();
      expect(await b.getFamily(familyId)).toBeUndefined();
      expect(await b.listFamilies('u1')).toEqual([]);
    });
  });

  describe('MFA state', () => {
    it('keeps a user\'s TOTP secret and enrolment, per user, until deleted', async () => {
      const { a, b } = await instances();
      await a.setMfa('u1', { secret: 'JBSWY3DPEHPK3PXP', enrolled: false });
      expect(await b.getMfa('u1')).toEqual({ secret: 'JBSWY3DPEHPK3PXP', enrolled: false });
      await b.setMfa('u1', { secret: 'JBSWY3DPEHPK3PXP', enrolled: true, enrolledAt: 1234 });
      expect(await a.getMfa('u1')).toEqual({ secret: 'JBSWY3DPEHPK3PXP', enrolled: true, enrolledAt: 1234 });
      expect(await a.getMfa('u2')).toBeUndefined();
      await a.deleteMfa('u1');
      expect(await b.getMfa('u1')).toBeUndefined();
    });

    it('useOnce lets one of many concurrent callers through, and again after the time to live', async () => {
      const { a, b } = await instances();
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).useOnce('u1:step:123', SHORT_TTL_MS)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await a.useOnce('u1:step:124', SHORT_TTL_MS)).toBe(true);
      await pass(SHORT_TTL_MS + 100);
      expect(await b.useOnce('u1:step:123', SHORT_TTL_MS)).toBe(true);
    });
  });

  describe('guessing limits', () => {
    it('takes at most `limit` tries per window across instances, concurrently, and counts again after it', async () => {
      const { a, b } = await instances();
      const takes = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).takeAttempt('mfa:u1', 5, SHORT_TTL_MS)));
      expect(takes.flatMap((take) => (take.taken ? [take.left] : [])).sort()).toEqual([0, 1, 2, 3, 4]);
      for (const take of takes) {
        if (take.taken) continue;
        expect(take.retryAfterMs).toBeGreaterThan(0);
        expect(take.retryAfterMs).toBeLessThanOrEqual(SHORT_TTL_MS);
      }
      expect(await b.takeAttempt('mfa:u2', 5, SHORT_TTL_MS)).toEqual({ taken: true, left: 4 });
      await pass(SHORT_TTL_MS + 100); // the window on the store's own clock
      expect(await b.takeAttempt('mfa:u1', 5, SHORT_TTL_MS)).toEqual({ taken: true, left: 4 });
    });

    it('clearAttempts starts a count again', async () => {
      const { a, b } = await instances();
      for (let i = 0; i < 2; i++) await a.takeAttempt('mfa:u1', 2, 60_000);
      expect((await b.takeAttempt('mfa:u1', 2, 60_000)).taken).toBe(false);
      await b.clearAttempts('mfa:u1');
      expect(await a.takeAttempt('mfa:u1', 2, 60_000)).toEqual({ taken: true, left: 1 });
    });

    it('makes rate-limiter-flexible limiters that share their counters between instances', async () => {
      const { a, b } = await instances();
      const [onA, onB] = [a, b].map((store) => store.rateLimiter({ keyPrefix: 'test', points: 2, duration: 60 }));
      await onA!.consume('ann');
      await onB!.consume('ann');
      await expect(onA!.consume('ann')).rejects.toMatchObject({ remainingPoints: 0, msBeforeNext: expect.any(Number) });
      await onB!.delete('ann');
      expect((await onA!.consume('ann')).remainingPoints).toBe(1);
    });
  });

  it('shares the access token generation', async () => {
    const { a, b } = await instances();
    const before = await b.accessTokenGeneration();
    await a.bumpAccessTokenGeneration();
    expect(await b.accessTokenGeneration()).toBe(before + 1);
  });

  describe('refresh token rotation over this store', () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const now = () => clock;

    it('rotates, grants the token just replaced within the reuse interval, then revokes on reuse', async () => {
      const { a, b } = await instances();
      const onA = createRefreshTokens({ store: a, ttl: 3600, reuseInterval: 10, now });
      const onB = createRefreshTokens({ store: b, ttl: 3600, reuseInterval: 10, now });
      const { token: t0 } = await onA.issue('u1', 'agent');
      const r1 = await onB.rotate(t0);
      expect(r1).toMatchObject({ ok: true, userId: 'u1', rotated: true });
      clock += 10_000;
      expect(await onA.rotate(t0)).toMatchObject({ ok: true, rotated: false });
      clock += 1;
      expect(await onB.rotate(t0)).toEqual({ ok: false, reason: 'reused' });
      expect(await onA.rotate(r1.ok ? r1.token : '')).toEqual({ ok: false, reason: 'revoked' });
      expect(await onA.rotate('never-issued')).toEqual({ ok: false, reason: 'unknown' });
    });

    it('with a reuse interval of 0, the same token twice in the same millisecond is reuse', async () => {
      const { a, b } = await instances();
      const onA = createRefreshTokens({ store: a, ttl: 3600, reuseInterval: 0, now });
      const onB = createRefreshTokens({ store: b, ttl: 3600, reuseInterval: 0, now });
      const { token } = await onA.issue('u1');
      expect(await onA.rotate(token)).toMatchObject({ ok: true, rotated: true });
      expect(await onB.rotate(token)).toEqual({ ok: false, reason: 'reused' });
    });

    it('refuses an expired token and ends every family of a user on revokeUser', async () => {
      const { a, b } = await instances();
      const onA = createRefreshTokens({ store: a, ttl: 60, reuseInterval: 10, now });
      const onB = createRefreshTokens({ store: b, ttl: 60, reuseInterval: 10, now });
      const first = await onA.issue('u1');
      const second = await onA.issue('u1');
      clock += 61_000;
      expect(await onB.rotate(first.token)).toEqual({ ok: false, reason: 'expired' });
      clock -= 61_000;
      await onB.revokeUser('u1');
      expect(await onA.rotate(second.token)).toEqual({ ok: false, reason: 'revoked' });
      expect(await onA.revoke(second.token)).toBe('u1');
    });

    for (const reuseInterval of [10, 0]) {
      it(`200 concurrent presentations of one token over two instances, reuse interval ${reuseInterval}: one rotation`, async () => {
        const { a, b } = await instances();
        const instancesOf = [a, b].map((store) => createRefreshTokens({ store, ttl: 3600, reuseInterval, now }));
        const { token } = await instancesOf[0]!.issue('u1');
        const results = await Promise.all(Array.from({ length: 200 }, (_, i) => instancesOf[i % 2]!.rotate(token)));
        const granted = results.filter((r) => r.ok);
        expect(granted.filter((r) => r.ok && r.rotated)).toHaveLength(1);
        if (reuseInterval > 0) {
          // The rest arrived within the interval: siblings, all usable, none a rotation.
          expect(granted).toHaveLength(200);
        } else {
          // Exactly as one instance in sequence: the first rotates, the next is reuse, the rest find the family revoked.
          expect(granted).toHaveLength(1);
          const reasons = new Set(results.flatMap((r) => (r.ok ? [] : [r.reason])));
          expect(reasons.has('reused')).toBe(true);
          expect([...reasons].every((reason) => reason === 'reused' || reason === 'revoked')).toBe(true);
          const winner = granted[0]!;
          expect(await instancesOf[1]!.rotate(winner.ok ? winner.token : '')).toEqual({ ok: false, reason: 'revoked' });
        }
      });
    }
  });
}
