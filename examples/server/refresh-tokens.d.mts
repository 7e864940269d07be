// Types for TypeScript callers (the tests); the implementation is plain JavaScript.
import type { AuthStore, Family } from './stores/index.mjs';

export type RotateResult =
  | { ok: true; token: string; userId: string; familyId: string; /** false: a sibling within the reuse interval */ rotated: boolean }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused' };

export interface RefreshTokens {
  issue(userId: string, userAgent?: string): Promise<{ token: string; familyId: string }>;
  rotate(token: string): Promise<RotateResult>;
  /** Revokes the token's family; resolves to its user id. */
  revoke(token: string): Promise<string | undefined>;
  revokeUser(userId: string): Promise<void>;
  /** The family of a token, current or replaced, whatever its state; `undefined` when unknown. */
  familyOf(token: string): Promise<Family | undefined>;
}

export declare function createRefreshTokens(options: {
  store: AuthStore;
  /** Seconds. */
  ttl: number;
  /** Seconds; 0: any second presentation is reuse. */
  reuseInterval: number;
  now: () => number;
}): RefreshTokens;
