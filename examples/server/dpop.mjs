// DPoP (RFC 9449): proofs checked with jose, every field explicit; the jti replay guard lives in
// the store and nonces are stateless (an HMAC of the time step), so any number of instances agree.
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { EmbeddedJWK, calculateJwkThumbprint, decodeProtectedHeader, jwtVerify } from 'jose';
import { HttpError } from './http.mjs';

/**
 * @typedef {object} DpopOptions
 * @property {boolean} [requireNonce] proofs must carry the server's `DPoP-Nonce`; default false
 * @property {number} [nonceTtl] seconds a nonce is handed out for (it is accepted for one more); default 300
 * @property {number} [iatWindow] seconds a proof's `iat` may be from the server's clock either way; default 60
 * @property {readonly string[]} [origins] the origins clients call this server at (`https://auth.example.com`),
 *   which a proof's `htu` must name; default: the request's Host header, over http or https
 */

/**
 * @param {object} options
 * @param {Pick<import('./stores/index.d.mts').AuthStore, 'useOnce'>} options.store holds spent `jti`s
 * @param {() => Uint8Array} options.key secret key material the nonce key is derived from (HKDF,
 *   a key of its own), a function: it is known once the app's configuration is loaded
 * @param {() => number} options.now clock, epoch ms
 * @param {DpopOptions} [options.options]
 */
export function createDpop({ store, key, now, options = {} }) {
  const { requireNonce = false, nonceTtl = 300, iatWindow = 60, origins } = options;
  /** @type {Buffer | undefined} */
  let nonceKey;
  const mac = (/** @type {string} */ step) =>
    createHmac('sha256', (nonceKey ??= Buffer.from(hkdfSync('sha256', key(), '', 'tokenkeeper dpop nonce', 32)))).update(step).digest('base64url');
  const stepNow = () => Math.floor(now() / 1000 / nonceTtl);

  /** The nonce of this time step: `<step>.<mac>`, the same on every instance with the same key. */
  const nonce = () => {
    const step = stepNow().toString(36);
    return `${step}.${mac(step)}`;
  };

  /** This step's nonce or the last one's (so a nonce handed out just before a step ends still works). @param {unknown} value */
  function isFreshNonce(value) {
    if (typeof value !== 'string') return false;
    const [step = '', tag = '', ...rest] = value.split('.');
    const age = stepNow() - parseInt(step, 36);
    if (rest.length > 0 || !/^[0-9a-z]{1,12}$/.test(step) || !(age === 0 || age === 1)) return false;
    const expected = Buffer.from(mac(step));
    const given = Buffer.from(tag);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** @param {string} error @param {string} reason */
  const refusal = (error, reason) => Object.assign(new Error(reason), { dpopError: error, reason });

  /**
   * Whether `htu` names this request: one of `origins` (else its Host, over http or https: behind
   * a TLS proxy the server cannot tell which the client used) and its path, no query or fragment.
   * @param {import('node:http').IncomingMessage} req @param {string} pathname @param {unknown} htu
   */
  function htuMatches(req, pathname, htu) {
    if (typeof htu !== 'string') return false;
    try {
      const claimed = new URL(htu).href;
      const bases = origins ?? [`http://${req.headers.host}`, `https://${req.headers.host}`];
      return bases.some((origin) => new URL(pathname, origin).href === claimed);
    } catch {
      return false;
    }
  }

  /**
   * Verifies the request's one DPoP proof (RFC 9449 §4.3) and spends its jti.
   * @param {import('node:http').IncomingMessage} req @param {string} pathname
   * @param {string} [accessToken] on resource calls: `ath` must be its hash
   * @returns {Promise<string>} the key's RFC 7638 thumbprint
   */
  async function verify(req, pathname, accessToken) {
    const proof = req.headers.dpop;
    // Node joins a repeated header with ", ": two proofs are as malformed as none.
    if (typeof proof !== 'string' || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(proof)) throw refusal('invalid_dpop_proof', 'malformed');
    let header;
    try {
      header = decodeProtectedHeader(proof);
    } catch {
      throw refusal('invalid_dpop_proof', 'malformed');
    }
    // Explicit, before any crypto: the proof's own header must not choose how it is checked.
    if (header.typ !== 'dpop+jwt') throw refusal('invalid_dpop_proof', 'typ');
    if (header.alg !== 'ES256') throw refusal('invalid_dpop_proof', 'alg');
    const { jwk } = header;
    if (!jwk || jwk.kty !== 'EC' || jwk.crv !== 'P-256' || 'd' in jwk) throw refusal('invalid_dpop_proof', 'jwk');
    /** @type {import('jose').JWTPayload} */
    let claims;
    try {
      // EmbeddedJWK: the signature is checked with the header's own (public) key; binding it to
      // a token is the caller's job, with the thumbprint this returns.
      ({ payload: claims } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'], currentDate: new Date(now()) }));
    } catch (error) {
      throw refusal('invalid_dpop_proof', joseReason(error));
    }
    if (claims['htm'] !== req.method) throw refusal('invalid_dpop_proof', 'htm');
    if (!htuMatches(req, pathname, claims['htu'])) throw refusal('invalid_dpop_proof', 'htu');
    if (typeof claims.iat !== 'number' || Math.abs(claims.iat - now() / 1000) > iatWindow) throw refusal('invalid_dpop_proof', 'iat');
    if (typeof claims.jti !== 'string' || claims.jti.length < 8 || claims.jti.length > 256) throw refusal('invalid_dpop_proof', 'jti');
    if (accessToken !== undefined && claims['ath'] !== createHash('sha256').update(accessToken).digest('base64url')) throw refusal('invalid_dpop_proof', 'ath');
    if (requireNonce && !isFreshNonce(claims['nonce'])) throw refusal('use_dpop_nonce', 'nonce');
    const jkt = await calculateJwkThumbprint(jwk);
    // Last, so a proof refused for another reason does not spend its jti; kept for as long as
    // its iat could pass, on every instance that shares the store.
    if (!(await store.useOnce(`dpop-jti:${jkt}:${claims.jti}`, 2 * iatWindow * 1000))) throw refusal('invalid_dpop_proof', 'jti replayed');
    return jkt;
  }

  /** `DPoP-Nonce` for every answer, when nonces are required. @returns {Record<string, string>} */
  const nonceHeaders = () => (requireNonce ? { 'DPoP-Nonce': nonce() } : {});

  return {
    nonceHeaders,

    /**
     * A token call's proof: the thumbprint to bind the new token to, `undefined` without a proof
     * (a plain bearer token), or a 400 `invalid_dpop_proof` / `use_dpop_nonce` thrown.
     * @param {import('node:http').IncomingMessage} req @param {string} pathname
     */
    async tokenRequest(req, pathname) {
      if (req.headers.dpop === undefined) return undefined;
      try {
        return await verify(req, pathname);
      } catch (error) {
        const { dpopError, reason } = /** @type {{ dpopError?: string, reason?: string }} */ (error);
        if (!dpopError) throw error;
        throw new HttpError(400, dpopError, { error_description: reason }, nonceHeaders());
      }
    },

    /**
     * A call with an access token: a bound token (`jkt`) needs the DPoP scheme and a proof by its
     * key for this token; the DPoP scheme needs a bound token. Throws the 401 otherwise.
     * @param {import('node:http').IncomingMessage} req @param {string} pathname
     * @param {{ scheme: string, token: string }} authorization @param {unknown} jkt the token's `cnf.jkt`
     */
    async resourceRequest(req, pathname, { scheme, token }, jkt) {
      const refuse = (/** @type {string} */ error, /** @type {string} */ reason) =>
        new HttpError(401, error, { error_description: reason }, { 'WWW-Authenticate': `DPoP error="${error}", algs="ES256"`, ...nonceHeaders() });
      if (typeof jkt !== 'string') throw refuse('invalid_token', 'not a DPoP-bound token');
      if (scheme.toLowerCase() !== 'dpop') throw refuse('invalid_token', 'a DPoP-bound token needs the DPoP scheme');
      if (req.headers.dpop === undefined) throw refuse('invalid_token', 'no proof');
      let proofKey;
      try {
        proofKey = await verify(req, pathname, token);
      } catch (error) {
        const { dpopError, reason = '' } = /** @type {{ dpopError?: string, reason?: string }} */ (error);
        if (!dpopError) throw error;
        throw refuse(dpopError, reason);
      }
      if (proofKey !== jkt) throw refuse('invalid_token', 'proof by another key');
    },
  };
}

/**
 * Which check a jose error from verifying a proof stands for.
 * @param {unknown} error @returns {string}
 */
function joseReason(error) {
  const { code, claim, name } = /** @type {{ code?: string, claim?: string, name?: string }} */ (error);
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return 'signature';
  if (typeof claim === 'string') return claim; // a registered claim of the wrong type, e.g. iat: "1700000000"
  // WebCrypto's DataError: x and y are not a point on P-256.
  return code === 'ERR_JWK_INVALID' || name === 'DataError' ? 'jwk' : 'malformed';
}
