// @vitest-environment node
// Server nonces (RFC 9449 §8, §9): the newest per origin goes into the next proof to that origin,
// a malformed one is never echoed, and `use_dpop_nonce` is recognised in both of its forms.
import { decodeJwt } from 'jose';
import { describe, expect, test } from 'vitest';
import { createDpop } from 'tokenkeeper/dpop';

const API = 'https://api.example.com';
const nonceOf = (headers: Record<string, string>) => new Headers(headers);
const claimedNonce = async (dpop: ReturnType<typeof createDpop>, url: string) => decodeJwt(await dpop.proof('GET', url))['nonce'];

describe('rememberNonce', () => {
  test('keeps the newest DPoP-Nonce per origin and sends it to that origin only', async () => {
    const dpop = createDpop();
    expect(await claimedNonce(dpop, `${API}/me`)).toBeUndefined();

    expect(dpop.rememberNonce(`${API}/auth/login`, nonceOf({ 'DPoP-Nonce': 'n-1' }))).toBe(true);
    expect(dpop.rememberNonce(`${API}/auth/refresh-token`, nonceOf({ 'DPoP-Nonce': 'n-2' }))).toBe(true);
    dpop.rememberNonce('https://other.example.com/x', nonceOf({ 'DPoP-Nonce': 'theirs' }));

    expect(await claimedNonce(dpop, `${API}/me?page=2`)).toBe('n-2');
    expect(await claimedNonce(dpop, 'https://other.example.com/y')).toBe('theirs');
    expect(await claimedNonce(dpop, 'https://api.example.com:8443/me')).toBeUndefined();
    expect(await claimedNonce(dpop, 'http://api.example.com/me')).toBeUndefined();
  });

  test('an answer without a nonce keeps the one known', async () => {
    const dpop = createDpop();
    dpop.rememberNonce(`${API}/a`, nonceOf({ 'DPoP-Nonce': 'kept' }));

    expect(dpop.rememberNonce(`${API}/b`, nonceOf({}))).toBe(false);
    expect(await claimedNonce(dpop, `${API}/c`)).toBe('kept');
  });

  test.each([
    ['empty', ''],
    ['a space', 'a b'],
    ['a quote', 'a"b'],
    ['a backslash', 'a\\b'],
    ['non-ASCII', 'nonce-é'],
  ])('a malformed nonce (%s) is ignored, never echoed into a proof', async (_, bad) => {
    const dpop = createDpop();
    dpop.rememberNonce(`${API}/a`, nonceOf({ 'DPoP-Nonce': 'good' }));
    expect(dpop.rememberNonce(`${API}/b`, nonceOf({ 'DPoP-Nonce': bad }))).toBe(false);
    expect(await claimedNonce(dpop, `${API}/c`)).toBe('good');
  });

  test('two DPoP-Nonce headers (joined with ", ") are malformed', async () => {
    const dpop = createDpop();
    const headers = new Headers();
    headers.append('DPoP-Nonce', 'one');
    headers.append('DPoP-Nonce', 'two');

    expect(dpop.rememberNonce(`${API}/a`, headers)).toBe(false);
    expect(await claimedNonce(dpop, `${API}/a`)).toBeUndefined();
  });
});

describe('isNonceError', () => {
  const { isNonceError } = createDpop();
  const challenge = (value: string) => nonceOf({ 'WWW-Authenticate': value });

  test.each([
    ['authorization server: 400 { error }', 400, nonceOf({}), { error: 'use_dpop_nonce', error_description: 'x' }],
    ['resource server: 401 DPoP challenge', 401, challenge('DPoP error="use_dpop_nonce", error_description="Resource server requires nonce"'), null],
    ['401, algs first', 401, challenge('DPoP algs="ES256", error="use_dpop_nonce"'), undefined],
    ['401, among other challenges', 401, challenge('Bearer realm="api", DPoP error="use_dpop_nonce"'), undefined],
    ['401, unquoted token form', 401, challenge('dpop error = use_dpop_nonce'), undefined],
  ])('recognises %s', (_, status, headers, body) => {
    expect(isNonceError(status, headers, body)).toBe(true);
  });

  test.each([
    ['400 with another error', 400, nonceOf({}), { error: 'invalid_dpop_proof' }],
    ['400 with a non-JSON body', 400, nonceOf({}), 'use_dpop_nonce'],
    ['400 with no body', 400, nonceOf({}), undefined],
    ['401 invalid_token', 401, challenge('DPoP error="invalid_token"'), undefined],
    ['401 with the error in the body only', 401, nonceOf({}), { error: 'use_dpop_nonce' }],
    ['401 Bearer challenge', 401, challenge('Bearer error="invalid_token"'), undefined],
    ['another error that starts alike', 401, challenge('DPoP error="use_dpop_nonce_please"'), undefined],
    ['403 with the DPoP challenge', 403, challenge('DPoP error="use_dpop_nonce"'), undefined],
    ['500 with the body', 500, nonceOf({}), { error: 'use_dpop_nonce' }],
  ])('does not take %s for one', (_, status, headers, body) => {
    expect(isNonceError(status, headers, body)).toBe(false);
  });
});
