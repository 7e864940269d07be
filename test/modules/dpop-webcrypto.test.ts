// @vitest-environment node
// Where WebCrypto is missing (a page on plain http other than localhost has no crypto.subtle),
// DPoP fails loudly at first use with an AuthError: never a proof-less request, never a crash.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { isAuthError } from 'tokenkeeper';
import { createDpop } from 'tokenkeeper/dpop';

const realCrypto = globalThis.crypto;
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('without WebCrypto', () => {
  test('creating the handle works (importing and configuring must not fail on the server or in SSR)', () => {
    vi.stubGlobal('crypto', undefined);
    const dpop = createDpop();
    expect(dpop.exportForTabs()).toBeUndefined();
    expect(dpop.rememberNonce('https://api.example.com/x', new Headers({ 'DPoP-Nonce': 'n' }))).toBe(true);
  });

  test.each([
    ['crypto.subtle undefined (insecure context)', { getRandomValues: realCrypto.getRandomValues.bind(realCrypto) }],
    ['no crypto at all', undefined],
  ])('%s: the first proof rejects with a clear AuthError, and so does thumbprint()', async (_, stub) => {
    vi.stubGlobal('crypto', stub);
    const dpop = createDpop();

    const error: unknown = await dpop.proof('GET', 'https://api.example.com/me', 'token').catch((e: unknown) => e);
    expect(isAuthError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'network', message: expect.stringMatching(/WebCrypto.*secure context.*https or localhost/) });
    await expect(dpop.thumbprint()).rejects.toMatchObject({ name: 'AuthError', code: 'network' });
    expect(dpop.exportForTabs()).toBeUndefined();
  });

  test('WebCrypto that appears later (a test that stubs it, a polyfill) is used at the next call', async () => {
    vi.stubGlobal('crypto', {});
    const dpop = createDpop();
    await expect(dpop.proof('GET', 'https://api.example.com/me')).rejects.toMatchObject({ code: 'network' });

    vi.unstubAllGlobals();
    expect(globalThis.crypto).toBe(realCrypto);
    await expect(dpop.proof('GET', 'https://api.example.com/me')).resolves.toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  test('a WebCrypto that cannot make the key (no ECDSA P-256) is an AuthError with the cause kept', async () => {
    const refusal = new DOMException('Algorithm: Unrecognized name', 'NotSupportedError');
    vi.spyOn(realCrypto.subtle, 'generateKey').mockRejectedValue(refusal);

    const error: unknown = await createDpop().proof('GET', 'https://api.example.com/me').catch((e: unknown) => e);
    expect(isAuthError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'network', cause: refusal });
  });
});
