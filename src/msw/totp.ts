// TOTP (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1, 30-second steps, 6 digits, on WebCrypto so the
// mock runs in Node and browsers alike. Secrets travel as base32 (RFC 4648), as authenticator apps expect.
import { utf8 } from './encoding';

/** Seconds per step. */
export const TOTP_PERIOD = 30;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** base32 without padding. */
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) out += ALPHABET[(value >>> (bits -= 5)) & 31];
  }
  return bits > 0 ? out + ALPHABET[(value << (5 - bits)) & 31] : out;
}

/** Decodes base32, ignoring case, spaces and padding; `null` for any other character or an empty secret. */
function fromBase32(text: string): Uint8Array<ArrayBuffer> | null {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) return null;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) bytes.push((value >>> (bits -= 8)) & 255);
  }
  return bytes.length ? new Uint8Array(bytes) : null;
}

/** The TOTP step `atMs` falls in. */
export const stepAt = (atMs: number): number => Math.floor(atMs / 1000 / TOTP_PERIOD);

function importSecret(secret: string): Promise<CryptoKey> {
  const bytes = fromBase32(secret);
  if (!bytes) throw new TypeError('TOTP secret must be base32 (A-Z, 2-7)');
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
}

async function hotp(key: CryptoKey, counter: number): Promise<string> {
  const message = new DataView(new ArrayBuffer(8));
  message.setUint32(0, Math.floor(counter / 2 ** 32));
  message.setUint32(4, counter >>> 0);
  const mac = new DataView(await crypto.subtle.sign('HMAC', key, message));
  // Dynamic truncation (RFC 4226 §5.3): 31 bits from the offset the last nibble names.
  const binary = mac.getUint32(mac.getUint8(19) & 15) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/**
 * The 6-digit TOTP code of a base32 `secret` at `at` (epoch ms), as an authenticator app shows
 * it: for tests that sign in as a user with a second factor. Rejects a secret that is not base32.
 *
 * @example
 * const code = await generateTotp(secret); // '492039'
 * await auth.verifyMfa({ mfaToken, code });
 */
export async function generateTotp(secret: string, at: number = Date.now()): Promise<string> {
  return hotp(await importSecret(secret), stepAt(at));
}

/**
 * The step (within ±1 of `nowMs`'s) whose code is `code`, or `null`. All three candidates are
 * computed and compared whatever matched, byte by byte, so timing says nothing about the code.
 */
export async function matchTotpStep(secret: string, code: string, nowMs: number): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const key = await importSecret(secret);
  const step = stepAt(nowMs);
  const given = utf8(code);
  let matched: number | null = null;
  for (const candidate of [step - 1, step, step + 1]) {
    const expected = utf8(await hotp(key, candidate));
    let diff = 0;
    for (let i = 0; i < 6; i++) diff |= (expected[i] ?? 0) ^ (given[i] ?? 0);
    if (diff === 0) matched = candidate;
  }
  return matched;
}
