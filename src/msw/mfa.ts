// The second factor: each user's TOTP state, the stateless login challenge (`mfaToken`) and the
// replay guard. Challenges are signed, not stored. Wrong codes count per account, in limiter.ts.
import { base32, matchTotpStep, TOTP_PERIOD } from './totp';
import { importHmacKey, signJwt, verifyJwt } from './jwt';
import { randomToken } from './encoding';
import type { StoredUser } from './users';

/** Seconds a challenge lives. */
const CHALLENGE_TTL = 300;

/** A user's TOTP: the base32 secret, and whether enrolment was confirmed. */
export interface MfaState {
  secret: string;
  enabled: boolean;
}

/** Why a code was refused: not this secret's (or malformed), or already used in its window. */
export type CodeCheck = 'ok' | 'wrong' | 'replayed';

/** Settings of {@link createMfa}. */
export interface MfaOptions {
  /** The server's secret; challenges are signed with a key derived from it, never the access tokens' key. */
  secret: string;
  now: () => number;
}

/**
 * Creates the second-factor bookkeeping of one mock server.
 *
 * @example
 * const mfa = createMfa({ secret, now });
 * const mfaToken = await mfa.challenge('u1');
 */
export function createMfa(options: MfaOptions) {
  const { now } = options;
  // null: turned off since the seed, which may have turned it on.
  let states = new Map<string, MfaState | null>();
  let used = new Map<string, number>();
  let key: Promise<CryptoKey> | undefined;
  // Its own key: an access token is never a challenge, nor a challenge an access token.
  const signingKey = (): Promise<CryptoKey> => (key ??= importHmacKey(`${options.secret}\0mfa-challenge`));

  function sweep(): void {
    const at = now();
    for (const [name, evictAt] of used) if (evictAt <= at) used.delete(name);
  }

  /** `true` the first time within `ttlMs`; the one place a code or a challenge is spent. */
  function useOnce(name: string, ttlMs: number): boolean {
    sweep();
    if (used.has(name)) return false;
    used.set(name, now() + ttlMs);
    return true;
  }

  return {
    state(user: StoredUser): MfaState | undefined {
      const state = states.get(user.id);
      if (state !== undefined) return state ?? undefined;
      return user.totpSecret ? { secret: user.totpSecret, enabled: true } : undefined;
    },
    set(userId: string, state: MfaState | null): void {
      states.set(userId, state);
    },
    newSecret: (): string => base32(crypto.getRandomValues(new Uint8Array(20))),

    /** A signed challenge for `userId`: who, what for, until when, and an id for its counters. */
    async challenge(userId: string): Promise<string> {
      const iat = Math.floor(now() / 1000);
      const claims = { sub: userId, purpose: 'mfa', iat, exp: iat + CHALLENGE_TTL, jti: randomToken(16) };
      return signJwt(await signingKey(), claims);
    },

    /** The challenge's user and id, or `null` when forged, expired, for another purpose or spent. */
    async readChallenge(token: string): Promise<{ userId: string; id: string } | null> {
      const claims = await verifyJwt(await signingKey(), token, now());
      if (claims?.['purpose'] !== 'mfa' || typeof claims['jti'] !== 'string') return null;
      const id = claims['jti'];
      if (used.has(`challenge:${id}`)) return null;
      return { userId: claims.sub, id };
    },
    /** Marks a challenge used; `false` when another request used it first. */
    spend: (id: string): boolean => useOnce(`challenge:${id}`, CHALLENGE_TTL * 1000),

    /** Checks a code, and spends it: the same code is refused for the rest of its window. */
    async check(userId: string, secret: string, code: string): Promise<CodeCheck> {
      const at = now();
      const step = await matchTotpStep(secret, code.replace(/\s/g, ''), at);
      if (step === null) return 'wrong';
      // A code is accepted until the end of the step after its own.
      const window = (step + 2) * TOTP_PERIOD * 1000 - at;
      return useOnce(`totp:${userId}:${step}`, window) ? 'ok' : 'replayed';
    },

    reset(): void {
      states = new Map();
      used = new Map();
    },
  };
}

/** The second-factor bookkeeping of one server. */
export type Mfa = ReturnType<typeof createMfa>;

/**
 * The `otpauth://` URL an authenticator app reads from a QR code.
 *
 * @example
 * otpauthUrl('api.example.com', 'alice@example.com', 'JBSWY3DPEHPK3PXP');
 */
export function otpauthUrl(issuer: string, account: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: '6', period: String(TOTP_PERIOD) });
  return `otpauth://totp/${label}?${query}`;
}
