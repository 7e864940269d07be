import { isRecord } from './is-record';

/**
 * The JWT's claims, or `null` for an opaque token. Only the payload is read (never trusted: the
 * server verifies), so a few lines do what a library would, for a fraction of the bytes;
 * test/client/jwt-claims.test.ts holds them to jwt-decode's answers.
 */
export function decodeClaims(token: string): Record<string, unknown> | null {
  try {
    const payload = atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'));
    const claims: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(payload, (char) => char.charCodeAt(0))));
    return isRecord(claims) ? claims : null;
  } catch {
    return null;
  }
}

export interface Expiry {
  /** Epoch ms; `null` when the token's lifetime is unknown (used until it earns a 401). */
  expiresAt: number | null;
  /** Epoch ms at which to refresh; `null` with `expiresAt`. */
  refreshAt: number | null;
}

const isPositive = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;

/**
 * When a token received at `receivedAt` expires and should be refreshed.
 * Lifetimes are measured on the local clock from receipt, so a device whose clock is off still
 * refreshes on time: the server's `expiresIn` first, else the JWT's `exp - iat`.
 */
export function computeExpiry(
  expiresIn: number | undefined,
  claims: Record<string, unknown> | null,
  receivedAt: number,
  refreshMarginMs: number,
): Expiry {
  const lifetimeMs = tokenLifetimeMs(expiresIn, claims, receivedAt);
  if (lifetimeMs === null) return { expiresAt: null, refreshAt: null };
  const expiresAt = receivedAt + lifetimeMs;
  // Never more than half the lifetime ahead, or a short-lived token would refresh in a loop.
  return { expiresAt, refreshAt: expiresAt - Math.min(refreshMarginMs, lifetimeMs / 2) };
}

function tokenLifetimeMs(expiresIn: number | undefined, claims: Record<string, unknown> | null, receivedAt: number) {
  if (isPositive(expiresIn) && Number.isFinite(expiresIn * 1000)) return expiresIn * 1000;
  const exp = claims?.['exp'];
  const iat = claims?.['iat'];
  if (isPositive(exp) && isPositive(iat) && exp > iat) return (exp - iat) * 1000;
  // `exp` alone can only be read against our clock; an already-past one says nothing trustworthy.
  if (isPositive(exp) && exp * 1000 > receivedAt) return exp * 1000 - receivedAt;
  return null;
}
