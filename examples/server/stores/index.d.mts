// The storage interface of the example server, in the spirit of express-session's Store: a handful
// of async methods, with lifetimes in milliseconds. Two drivers: memory (default) and Redis.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

/** A user as stored. `id` is assigned by the store, once, so every instance agrees on it. */
export interface StoredUser {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
}

/**
 * One login: a refresh token family, which is also the device session a user sees and can revoke.
 * Times are epoch ms on the auth server's clock.
 */
export interface Family {
  id: string;
  userId: string;
  /** Bumped by each rotation; a token of an older generation is stale. */
  generation: number;
  /** When `generation` was last bumped (0 before the first rotation). */
  rotatedAt: number;
  revoked: boolean;
  createdAt: number;
  lastUsedAt: number;
  userAgent?: string | undefined;
}

/** What the store keeps per refresh token, keyed by the token's SHA-256 (never the token). */
export interface TokenRecord {
  familyId: string;
  generation: number;
  /** Epoch ms on the auth server's clock. */
  expiresAt: number;
}

/** A user's TOTP second factor: the shared secret and whether enrolment was confirmed. */
export interface MfaState {
  secret: string;
  enrolled: boolean;
  /** Epoch ms when the enrolment was confirmed. */
  enrolledAt?: number | undefined;
}

export interface NewToken {
  tokenHash: string;
  /** Epoch ms: when the token stops being accepted. */
  expiresAt: number;
  /** Epoch ms: the time of this event (createdAt, lastUsedAt, rotatedAt). */
  now: number;
  /** How long the store keeps the token (and its family) before forgetting it. */
  ttlMs: number;
}

export interface AuthStore {
  /** Creates a user with a store-assigned id; `null` when the email (case-insensitive) is taken. */
  createUser(user: { email: string; name: string; passwordHash: string }): Promise<StoredUser | null>;
  findUserByEmail(email: string): Promise<StoredUser | undefined>;
  findUserById(id: string): Promise<StoredUser | undefined>;

  /** Starts a family (a login) with its first token, generation 0. Resolves to the family id. */
  createFamily(input: NewToken & { userId: string; userAgent?: string | undefined }): Promise<string>;
  /** The token's record and its family, or `undefined` when either is unknown or forgotten. */
  findToken(tokenHash: string): Promise<{ token: TokenRecord; family: Family } | undefined>;
  /**
   * Atomically: if the family exists, is not revoked and is at `expectedGeneration`, optionally
   * advances it (`advance`: generation + 1, `rotatedAt = now`), sets `lastUsedAt`, and stores the
   * new token at the family's (new) generation. `false` changes nothing: another call won the race.
   */
  commitToken(familyId: string, input: NewToken & { expectedGeneration: number; advance: boolean }): Promise<boolean>;
  getFamily(familyId: string): Promise<Family | undefined>;
  /** Revoked families stay known until they expire, so their tokens are refused as revoked. */
  revokeFamily(familyId: string): Promise<void>;
  revokeUserFamilies(userId: string): Promise<void>;
  /** The user's live (unexpired, unrevoked) families: the signed-in devices. */
  listFamilies(userId: string): Promise<Family[]>;

  getMfa(userId: string): Promise<MfaState | undefined>;
  setMfa(userId: string, state: MfaState): Promise<void>;
  deleteMfa(userId: string): Promise<void>;
  /**
   * Atomically, so concurrent callers on any instance cannot all pass: when fewer than `limit`
   * tries were taken at `key` in its window (`windowMs` from the first), takes one more and
   * resolves to the tries left; otherwise takes nothing and resolves to the time until the window ends.
   */
  takeAttempt(key: string, limit: number, windowMs: number): Promise<{ taken: true; left: number } | { taken: false; retryAfterMs: number }>;
  /** Forgets the tries taken at `key` (a success: its count starts again). */
  clearAttempts(key: string): Promise<void>;
  /** A `rate-limiter-flexible` limiter whose counters live where this store keeps its data (memory, or the same Redis). */
  rateLimiter(options: { keyPrefix: string; points: number; duration: number }): RateLimiterAbstract;
  /** `true` the first time `key` is seen within `ttlMs`, `false` after: a replay guard (a TOTP step, a challenge). */
  useOnce(key: string, ttlMs: number): Promise<boolean>;

  /** Access tokens carry this number; bumping it invalidates every access token issued so far. */
  accessTokenGeneration(): Promise<number>;
  bumpAccessTokenGeneration(): Promise<void>;

  /** Releases connections; the store is unusable afterwards. */
  close(): Promise<void>;
}

export interface RedisStoreOptions {
  /** `redis://[[user]:password@]host:port[/db]` */
  url: string;
  /** Prepended to every key, so several apps (or tests) can share one Redis. @default 'tk:' */
  prefix?: string;
}

export declare function createMemoryStore(options?: { now?: () => number }): AuthStore;
/** Connects first; rejects with a readable error when Redis cannot be reached. */
export declare function createRedisStore(options: RedisStoreOptions): Promise<AuthStore>;
export declare function createStore(options?: { redisUrl?: string | undefined; prefix?: string; now?: () => number }): Promise<AuthStore>;
