// `tokenkeeper/dpop`: RFC 9449 proofs of possession, as a value passed to the client's `dpop` option,
// so an app without it carries none of this code.
import { AuthError } from './errors';
import { jwkThumbprint, sha256, signEs256, subtle } from './dpop-jose';
import { generateKey, isDpopKeyPair, withJwk, type DpopKey } from './dpop-keys';
import { createNonceCache, isNonceError, toUrl } from './dpop-nonce';
import type { DpopBinding } from './types';

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
export interface DpopHandle extends DpopBinding {
  /**
   * `fetch` (by default `globalThis.fetch`, looked up at each call) sending every request with a
   * fresh proof: `ath` for the token of an `Authorization: DPoP <token>` header, the origin's newest
   * nonce. Each answer's `DPoP-Nonce` is kept; a `use_dpop_nonce` answer that brings a new one is
   * sent again once, with a new proof (a one-shot stream body, never). The client option `dpop`
   * calls this for auth calls and authorized `authFetch` requests; use it for calls of your own.
   * Throws an `AuthError` (`network`) at once where WebCrypto is unavailable.
   *
   * @example
   * const dpopFetch = dpop.bind();
   * const res = await dpopFetch('https://api.example.com/me', { headers: { Authorization: `DPoP ${accessToken}` } });
   */
  bind(fetch?: typeof globalThis.fetch): typeof globalThis.fetch;
  /**
   * For a token answer's JSON body: the key pair its token is now bound to, for the other tabs
   * (the client option `dpop` calls it). Throws an `AuthError` (`invalid_response`) unless the
   * answer says `token_type: 'DPoP'`: a bearer token would be a silent downgrade.
   *
   * @example
   * const keyPair = dpop.tokenKey(await response.json());
   */
  tokenKey(answer: unknown): CryptoKeyPair | undefined;
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

  const proof: DpopHandle['proof'] = async (method, url, accessToken) => {
    const signer = current();
    const target = toUrl(url);
    const { pair, jwk } = await signer;
    return signEs256(pair.privateKey, { typ: 'dpop+jwt', alg: 'ES256', jwk }, {
      htm: method.toUpperCase(),
      htu: target.origin + target.pathname,
      iat: Math.floor(Date.now() / 1000),
      jti: crypto.randomUUID(),
      // Claims left undefined are left out by JSON.stringify.
      ath: accessToken && (await sha256(accessToken)),
      nonce: nonces.get(target.origin),
    });
  };

  return {
    proof,
    bind(fetchImpl) {
      subtle(); // no WebCrypto: a clear error now, before any request leaves without a proof
      return async (input, init) => {
        let request = new Request(input, init);
        // Cloned before the first send, for the nonce retry. A streamed body (which fetch requires
        // `duplex` for) is sent once.
        let spare = (init as { duplex?: string } | undefined)?.duplex ? null : request.clone();
        for (;;) {
          const token = /^DPoP +(\S+)$/i.exec(request.headers.get('Authorization') as string)?.[1]; // null: no match
          request.headers.set('DPoP', await proof(request.method, request.url, token));
          const response = await (fetchImpl ?? fetch)(request);
          const { status, headers } = response;
          // The nonce is kept from every answer, under the origin that answered (a redirect may have
          // led elsewhere); a retry only for a new one, and only once.
          if (!nonces.remember(response.url || request.url, headers) || !spare || !isNonceError(status, headers, status === 400 && (await response.clone().json().catch(() => 0)))) {
            return response;
          }
          void response.body?.cancel().catch(() => {});
          request = spare;
          spare = null;
        }
      };
    },
    tokenKey(answer) {
      if (!/^dpop$/i.test((answer as { token_type?: string } | null)?.token_type!)) {
        throw new AuthError('invalid_response', 'DPoP: token_type is not DPoP');
      }
      return ready;
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
