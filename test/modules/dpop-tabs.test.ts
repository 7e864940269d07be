// @vitest-environment node
// Sharing the proof key between tabs: a CryptoKeyPair survives structured clone, so one tab posts
// it on a BroadcastChannel and another signs with it; nothing but an unexportable ES256 pair is taken.
import { EmbeddedJWK, calculateJwkThumbprint, jwtVerify, type JWK } from 'jose';
import { afterEach, describe, expect, test } from 'vitest';
import { createDpop, type DpopHandle } from 'tokenkeeper/dpop';

const ME = 'https://api.example.com/me';
const channels: BroadcastChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) channel.close();
});

/** The thumbprint of the key that signed `proof`, after checking its signature. */
async function signer(proof: string): Promise<string> {
  const { protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] });
  return calculateJwkThumbprint(protectedHeader.jwk as JWK);
}

/** What the other end of a real BroadcastChannel receives: a structured clone. */
function postAcross(message: unknown): Promise<unknown> {
  const name = `dpop-test-${Math.random()}`;
  const sender = new BroadcastChannel(name);
  const receiver = new BroadcastChannel(name);
  channels.push(sender, receiver);
  const received = new Promise<unknown>((resolve) => {
    receiver.onmessage = (event: MessageEvent) => resolve(event.data);
  });
  sender.postMessage(message);
  return received;
}

describe('exportForTabs and adopt', () => {
  test('a key pair posted on a BroadcastChannel signs the other tab\'s proofs, still unexportable', async () => {
    const first = createDpop();
    const second = createDpop();
    const firstKey = await first.thumbprint();
    expect(await second.thumbprint()).not.toBe(firstKey);

    const received = (await postAcross({ type: 'dpop-key', key: first.exportForTabs() })) as { key: CryptoKeyPair };
    expect(second.adopt(received.key)).toBe(true);

    expect(await signer(await second.proof('GET', ME, 'token'))).toBe(firstKey);
    expect(await second.thumbprint()).toBe(firstKey);
    expect(received.key.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', received.key.privateKey)).rejects.toThrow();
    // Passed on again from the adopting tab: a third tab joins the same key.
    const third = createDpop();
    expect(third.adopt(await postAcross(second.exportForTabs()))).toBe(true);
    expect(await signer(await third.proof('POST', 'https://api.example.com/auth/refresh-token'))).toBe(firstKey);
  });

  test('a proof started before an adoption is signed by the key of its start; later ones by the adopted key', async () => {
    const giver = createDpop();
    const adoptedKey = await giver.thumbprint();
    const dpop = createDpop();

    const before = dpop.proof('GET', ME, 'old-token'); // its key is still being made
    expect(dpop.adopt(giver.exportForTabs())).toBe(true);
    const after = dpop.proof('GET', ME, 'new-token');

    const [beforeKey, afterKey] = await Promise.all([before.then(signer), after.then(signer)]);
    expect(afterKey).toBe(adoptedKey);
    expect(beforeKey).not.toBe(adoptedKey);
    // The key made for the first proof, finishing last, does not replace the adopted one.
    expect(dpop.exportForTabs()).toBe(giver.exportForTabs());
    expect(await signer(await dpop.proof('GET', ME))).toBe(adoptedKey);
  });

  test('nothing is exported before a key exists', () => {
    expect(createDpop().exportForTabs()).toBeUndefined();
  });

  describe('refuses anything but an ES256 pair with an unexportable private key, keeping its own', () => {
    const ecdsa = (namedCurve: string, extractable = false) =>
      crypto.subtle.generateKey({ name: 'ECDSA', namedCurve }, extractable, ['sign', 'verify']) as Promise<CryptoKeyPair>;
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['undefined', async () => undefined],
      ['null', async () => null],
      ['a string', async () => 'key'],
      ['an empty object', async () => ({})],
      ['plain objects shaped like keys', async () => ({ privateKey: { type: 'private', algorithm: { name: 'ECDSA', namedCurve: 'P-256' }, usages: ['sign'] }, publicKey: {} })],
      ['an exportable private key', () => ecdsa('P-256', true)],
      ['a P-384 pair', () => ecdsa('P-384')],
      ['an RSA pair', () => crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, false, ['sign', 'verify'])],
      ['the halves swapped', async () => { const pair = await ecdsa('P-256'); return { privateKey: pair.publicKey, publicKey: pair.privateKey }; }],
      ['a private key alone', async () => ({ privateKey: (await ecdsa('P-256')).privateKey })],
      ['an ECDH pair', () => crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits'])],
    ];

    test.each(cases)('%s', async (_, make) => {
      const dpop: DpopHandle = createDpop();
      const own = await dpop.thumbprint();

      expect(dpop.adopt(await make())).toBe(false);
      expect(await signer(await dpop.proof('GET', ME))).toBe(own);
    });
  });
});
