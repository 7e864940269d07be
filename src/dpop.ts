// `tokenkeeper/dpop`: RFC 9449 proofs of possession, as a value passed to the client's `dpop` option,
// so an app without it carries none of this code.
import { jwkThumbprint, sha256, signEs256 } from './dpop-jose';
import { generateKey, isDpopKeyPair, withJwk, type DpopKey } from './dpop-keys';
import { createNonceCache, isNonceError } from './dpop-nonce';

export { jwkThumbprint, type DpopPublicJwk } from './dpop-jose';
export { isDpopKeyPair } from './dpop-keys';

/**
 * What the client needs to send DPoP proofs: a key pair made on first use (ES256, private key not
 * extractable, memory only), the nonces servers hand out, and hooks to share the key with other tabs.
 *
 * @example
 * const dpop = createDpop();
 * const auth = createAuthClient({ baseUrl: 'https://api.example.com', dpop });
 */
export interface DpopHandle {
  /**
   * A proof (compact JWS, `typ: dpop+jwt`, ES256, the public `jwk`) for one request: `htm`, `htu`
   * (the URL without query and fragment), `iat`, a unique `jti`, `ath` when `accessToken` is given,
   * and `nonce` when the URL's origin gave one. The key current at the call signs, even if another
   * is adopted while it is being made. Rejects with an `AuthError` where WebCrypto is unavailable.
   *
   * @example
   * headers.set('DPoP', await dpop.proof('GET', 'https://api.example.com/me?x=1', accessToken));
   */
  proof(method: string, url: string, accessToken?: string): Promise<string>;
  /**
   * Keeps the answer's `DPoP-Nonce` as the newest for the URL's origin. `false` when it has none,
   * or one that is malformed (and therefore ignored).
   *
   * @example
   * const fresh = dpop.rememberNonce(response.url, response.headers);
   */
  rememberNonce(url: string, headers: Headers): boolean;
  /**
   * Whether an answer asks for a proof with a nonce: a 400 whose JSON `error` is `use_dpop_nonce`
   * (authorization server) or a 401 with `WWW-Authenticate: DPoP error="use_dpop_nonce"` (resource
   * server). Retry once, and only when {@link DpopHandle.rememberNonce} got a nonce from it.
   *
   * @example
   * if (dpop.rememberNonce(url, res.headers) && dpop.isNonceError(res.status, res.headers, body)) retry();
   */
  isNonceError(status: number, headers: Headers, body?: unknown): boolean;
  /**
   * The RFC 7638 thumbprint of the current public key (made now if there is none): the `jkt` a
   * server binds tokens to.
   *
   * @example
   * expect(claims.cnf.jkt).toBe(await dpop.thumbprint());
   */
  thumbprint(): Promise<string>;
  /**
   * The current key pair, for another tab (a `CryptoKey` survives structured clone, so it can be
   * posted on a `BroadcastChannel`; the private key stays unexportable). `undefined` while none is ready.
   *
   * @example
   * channel.postMessage({ type: 'refreshed', token, dpopKey: dpop.exportForTabs() });
   */
  exportForTabs(): CryptoKeyPair | undefined;
  /**
   * Signs with another tab's key pair from now on (the tokens it refreshed are bound to it).
   * `false`, changing nothing, for anything but an ES256 pair with an unexportable private key.
   *
   * @example
   * channel.onmessage = ({ data }) => { if (data.dpopKey) dpop.adopt(data.dpopKey); };
   */
  adopt(keyPair: unknown): boolean;
}

/**
 * Creates the value of the client option `dpop`: with it, every auth call and every `authFetch` to
 * an authorized origin carries an RFC 9449 proof, and tokens are bound to a key that script cannot
 * export, so a copied access token is refused without a proof only this page can sign.
 *
 * @example
 * import { createAuthClient } from 'tokenkeeper';
 * import { createDpop } from 'tokenkeeper/dpop';
 *
 * const auth = createAuthClient({ baseUrl: 'https://api.example.com', dpop: createDpop() });
 */
export function createDpop(): DpopHandle {
  let key: Promise<DpopKey> | undefined;
  let ready: CryptoKeyPair | undefined;
  const nonces = createNonceCache();

  function use(pair: Promise<CryptoKeyPair>): Promise<DpopKey> {
    const next = pair.then(withJwk);
    key = next;
    // A failed creation (no WebCrypto) is tried again at the next use; an adopted key wins over
    // one still being made.
    next.then(
      (made) => void (key === next && (ready = made.pair)),
      () => void (key === next && (key = undefined)),
    );
    return next;
  }
  const current = (): Promise<DpopKey> => key ?? use(generateKey());

  return {
    async proof(method, url, accessToken) {
      const signer = current();
      const target = new URL(url, globalThis.location?.href);
      const nonce = nonces.get(target.href);
      const { pair, jwk } = await signer;
      return signEs256(pair.privateKey, { typ: 'dpop+jwt', alg: 'ES256', jwk }, {
        htm: method.toUpperCase(),
        htu: target.origin + target.pathname,
        iat: Math.floor(Date.now() / 1000),
        jti: crypto.randomUUID(),
        ...(accessToken === undefined ? {} : { ath: await sha256(accessToken) }),
        ...(nonce ? { nonce } : {}),
      });
    },
    rememberNonce: nonces.remember,
    isNonceError,
    thumbprint: () => current().then(({ jwk }) => jwkThumbprint(jwk)),
    exportForTabs: () => ready,
    adopt(keyPair) {
      if (!isDpopKeyPair(keyPair)) return false;
      ready = keyPair;
      use(Promise.resolve(keyPair));
      return true;
    },
  };
}
