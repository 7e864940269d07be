// TOTP (RFC 6238): SHA-1, 6 digits, 30-second steps, as every authenticator app expects, from
// the otpauth library. Secrets are base32 (RFC 4648), 20 random bytes.
import { Secret, TOTP } from 'otpauth';

export const PERIOD = 30;
const settings = { algorithm: 'SHA1', digits: 6, period: PERIOD };

/** @param {string} secret base32 */
const totp = (secret, label = 'account', issuer = '') => new TOTP({ ...settings, secret: Secret.fromBase32(secret), label, issuer });

/** A fresh secret, base32. */
export const newSecret = () => new Secret({ size: 20 }).base32;

/**
 * The `otpauth://` URL an authenticator app reads from a QR code.
 * @param {string} secret @param {string} account shown in the app, e.g. the email @param {string} issuer
 */
export const otpauthUrl = (secret, account, issuer) => totp(secret, account, issuer).toString();

/** The code at `nowMs` (for the demo log). @param {string} secret @param {number} nowMs */
export const codeAt = (secret, nowMs) => totp(secret).generate({ timestamp: nowMs });

/**
 * The step (within ±1 of `nowMs`'s) whose code is `code`, or `null`. otpauth compares in
 * constant time; only six ASCII digits reach it (its comparison needs equal byte lengths).
 * @param {string} secret @param {string} code @param {number} nowMs
 * @returns {number | null}
 */
export function matchStep(secret, code, nowMs) {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret).validate({ token: code, timestamp: nowMs, window: 1 });
  return delta === null ? null : TOTP.counter({ period: PERIOD, timestamp: nowMs }) + delta;
}
