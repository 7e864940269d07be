// Refresh tokens with rotation and reuse detection, after the OAuth 2.0 Security BCP (§4.14):
// each login starts a family; every refresh replaces the presented token with a new one in the
// same family; a replaced token presented again means it was stolen, so the family is revoked.
import { randomToken, sha256 } from './encoding';

/** 32 random bytes (256 bits), the floor for an unguessable bearer secret. */
const TOKEN_BYTES = 32;

interface TokenRecord {
  familyId: string;
  expiresAt: number;
  /** When the token was rotated; set once, so the reuse interval counts from the first rotation. */
  replacedAt?: number;
}

interface Family {
  userId: string;
  revoked: boolean;
  createdAt: number;
  lastUsedAt: number;
  /** When its newest token expires: the family is a live session until then. */
  expiresAt: number;
  userAgent?: string;
}

/** One login as its user sees it in a list of signed-in devices; times in epoch ms. */
export interface DeviceSession {
  id: string;
  createdAt: number;
  lastUsedAt: number;
  userAgent?: string;
}

/** Why a refresh token was refused. `reused` means its family has just been revoked. */
export type RefreshRejection = 'unknown' | 'expired' | 'revoked' | 'reused';

/** Outcome of {@link RefreshTokenStore.rotate}. */
export type RotateResult =
  | { ok: true; token: string; userId: string; sessionId: string }
  | { ok: false; reason: RefreshRejection };

/** Settings of {@link createRefreshTokenStore}; durations in seconds, `now` in epoch ms. */
export interface RefreshTokenStoreOptions {
  ttl: number;
  reuseInterval: number;
  now: () => number;
}

/** In-memory refresh token store. Tokens are kept only as SHA-256 hashes. */
export interface RefreshTokenStore {
  /** Starts a new family (a login) and answers its first token and the family's id (the session). */
  issue(userId: string, userAgent?: string | null): Promise<{ token: string; sessionId: string }>;
  /** Exchanges a token for a new one of its family, or says why not. */
  rotate(token: string): Promise<RotateResult>;
  /** Revokes the family of `token` whatever its state; answers the family's user, if known. */
  revoke(token: string): Promise<string | null>;
  /** Revokes every family of a user ("log out everywhere"). */
  revokeUser(userId: string): void;
  /** The family of a token (current or replaced), whatever its state; `null` when unknown. */
  sessionOf(token: string): Promise<{ id: string; userId: string } | null>;
  /** Whether the family is the user's, unrevoked and unexpired. */
  isLive(sessionId: string, userId: string): boolean;
  /** The user's live families, most recently used first. */
  sessions(userId: string): DeviceSession[];
  /** Revokes one of the user's live families; `false` (and nothing changed) for any other id. */
  revokeSession(userId: string, sessionId: string): boolean;
  /** Revokes every family (server-side session expiry). */
  revokeAll(): void;
  /** Forgets every token and family. */
  clear(): void;
}

/**
 * Creates an in-memory refresh token store.
 *
 * @example
 * const store = createRefreshTokenStore({ ttl: 1_209_600, reuseInterval: 10, now: Date.now });
 * const first = await store.issue('u1');
 * const next = await store.rotate(first.token); // { ok: true, token, userId: 'u1', sessionId }
 */
export function createRefreshTokenStore(options: RefreshTokenStoreOptions): RefreshTokenStore {
  // Keyed by hash: a leaked store (or a debugger dump) yields nothing that can be replayed.
  const tokens = new Map<string, TokenRecord>();
  const families = new Map<string, Family>();

  async function mint(): Promise<{ token: string; hash: string }> {
    const token = randomToken(TOKEN_BYTES);
    return { token, hash: await sha256(token) };
  }

  function add(hash: string, familyId: string, family: Family): void {
    const expiresAt = options.now() + options.ttl * 1000;
    tokens.set(hash, { familyId, expiresAt });
    family.lastUsedAt = options.now();
    family.expiresAt = expiresAt;
  }

  function live(sessionId: string, userId: string): Family | undefined {
    const family = families.get(sessionId);
    return family && family.userId === userId && !family.revoked && family.expiresAt > options.now() ? family : undefined;
  }

  function revokeWhere(match: (family: Family) => boolean): void {
    for (const family of families.values()) if (match(family)) family.revoked = true;
  }

  return {
    async issue(userId, userAgent) {
      const { token, hash } = await mint();
      const familyId = randomToken(12);
      const now = options.now();
      const family: Family = { userId, revoked: false, createdAt: now, lastUsedAt: now, expiresAt: now };
      if (userAgent) family.userAgent = userAgent.slice(0, 256);
      families.set(familyId, family);
      add(hash, familyId, family);
      return { token, sessionId: familyId };
    },

    async rotate(presented) {
      // Mint before looking up so that the checks and the state change below run with no
      // await in between: two concurrent refreshes cannot both rotate the same token.
      const [hash, next] = await Promise.all([sha256(presented), mint()]);
      const record = tokens.get(hash);
      const family = record && families.get(record.familyId);
      if (!record || !family) return { ok: false, reason: 'unknown' };
      if (family.revoked) return { ok: false, reason: 'revoked' };
      const now = options.now();
      if (now >= record.expiresAt) return { ok: false, reason: 'expired' };
      // Half-open window [replacedAt, replacedAt + interval): with 0 no second presentation
      // passes, even one in the same millisecond as the rotation.
      if (record.replacedAt !== undefined && now - record.replacedAt >= options.reuseInterval * 1000) {
        family.revoked = true;
        return { ok: false, reason: 'reused' };
      }
      // Within the reuse interval a replaced token still works (two tabs refreshing at once, a
      // lost response); it gets a fresh sibling, since only hashes of earlier tokens are kept.
      record.replacedAt ??= now;
      add(next.hash, record.familyId, family);
      return { ok: true, token: next.token, userId: family.userId, sessionId: record.familyId };
    },

    async revoke(presented) {
      const record = tokens.get(await sha256(presented));
      const family = record && families.get(record.familyId);
      if (!family) return null;
      family.revoked = true;
      return family.userId;
    },

    revokeUser(userId) {
      revokeWhere((family) => family.userId === userId);
    },

    async sessionOf(presented) {
      const record = tokens.get(await sha256(presented));
      const family = record && families.get(record.familyId);
      return record && family ? { id: record.familyId, userId: family.userId } : null;
    },

    isLive: (sessionId, userId) => live(sessionId, userId) !== undefined,

    sessions(userId) {
      const list: DeviceSession[] = [];
      for (const id of families.keys()) {
        const family = live(id, userId);
        if (!family) continue;
        const { createdAt, lastUsedAt, userAgent } = family;
        list.push({ id, createdAt, lastUsedAt, ...(userAgent ? { userAgent } : {}) });
      }
      return list.sort((a, b) => b.lastUsedAt - a.lastUsedAt);
    },

    revokeSession(userId, sessionId) {
      const family = live(sessionId, userId);
      if (family) family.revoked = true;
      return family !== undefined;
    },

    revokeAll() {
      revokeWhere(() => true);
    },

    clear() {
      tokens.clear();
      families.clear();
    },
  };
}
