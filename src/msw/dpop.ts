// DPoP proofs (RFC 9449 §4.3) checked as a real server must, on WebCrypto so the mock runs in Node
// and browsers alike: every JOSE field explicit, ES256 only, a replay cache of jti, server nonces.
import { HttpResponse } from 'msw';
import { fromBase64url, randomToken, sha256, utf8 } from './encoding';
import { parseJson } from './jwt';
import { NO_STORE } from './responses';
import type { DpopServerOptions } from './types';

/** Why a proof was refused: its RFC 9449 error code, and the check it failed (for tests and logs). */
export interface ProofRefusal {
  error: 'invalid_dpop_proof' | 'use_dpop_nonce';
  reason: string;
}

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' };

/** The request's URL as `htu` names it: no query, no fragment, normalised by the URL parser. */
const htuOf = (url: string): string => {
  const { origin, pathname } = new URL(url);
  return origin + pathname;
};

/** A claimed `htu`, normalised the same way (host case, default port), query kept so it fails. */
function normalised(htu: unknown): string | null {
  try {
    return typeof htu === 'string' ? new URL(htu).href : null;
  } catch {
    return null;
  }
}

/**
 * The mock's DPoP side: proof verification, the jti replay cache and the nonce it hands out.
 *
 * @example
 * const dpop = createDpopVerifier({ now: Date.now, options: { requireNonce: true } });
 * const result = await dpop.verify(request, accessToken);
 */
export function createDpopVerifier({ now, options }: { now: () => number; options: DpopServerOptions }) {
  const requireNonce = options.requireNonce ?? false;
  const window = options.iatWindow ?? 60;
  const nonceTtl = (options.nonceTtl ?? 300) * 1000;
  /** `jkt:jti` → when it may be forgotten: after every proof with that iat is out of the window anyway. */
  const seen = new Map<string, number>();
  let nonce = { value: '', until: 0 };

  /** The nonce proofs must carry now; a new one every `nonceTtl` on the server's clock. */
  function currentNonce(): string {
    if (now() >= nonce.until) nonce = { value: randomToken(16), until: now() + nonceTtl };
    return nonce.value;
  }

  /** `DPoP-Nonce` for an answer, when this server asks for nonces. */
  const nonceHeader = (): Record<string, string> => (requireNonce ? { 'DPoP-Nonce': currentNonce() } : {});

  /**
   * Checks the request's one `DPoP` proof; `accessToken` (resource calls) requires a matching `ath`.
   * Resolves to the key's RFC 7638 thumbprint, or why not.
   */
  async function verify(request: Request, accessToken?: string): Promise<{ jkt: string } | ProofRefusal> {
    const refuse = (reason: string): ProofRefusal => ({ error: 'invalid_dpop_proof', reason });
    // Two DPoP headers arrive joined by ", ", which no compact JWS contains.
    const [head = '', body = '', signature = '', ...rest] = (request.headers.get('DPoP') ?? '').split('.');
    const header = parseJson(head);
    const claims = parseJson(body);
    const signatureBytes = fromBase64url(signature);
    if (!header || !claims || !signatureBytes || rest.length > 0) return refuse('malformed');
    // Checked before any crypto: no `alg: none`, no HMAC with the public key as its secret.
    if (header['typ'] !== 'dpop+jwt') return refuse('typ');
    if (header['alg'] !== 'ES256') return refuse('alg');
    const jwk = header['jwk'];
    if (typeof jwk !== 'object' || jwk === null || 'd' in jwk) return refuse('jwk'); // a private key is never a proof key
    const { kty, crv, x, y } = jwk as Record<string, unknown>;
    if (kty !== 'EC' || crv !== 'P-256' || typeof x !== 'string' || typeof y !== 'string') return refuse('jwk');
    let key: CryptoKey;
    try {
      key = await crypto.subtle.importKey('jwk', { kty, crv, x, y }, EC_P256, false, ['verify']);
    } catch {
      return refuse('jwk'); // not a point on the curve
    }
    const signed = utf8(`${head}.${body}`);
    const valid = signatureBytes.length === 64 && (await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signatureBytes, signed));
    if (!valid) return refuse('signature');
    if (claims['htm'] !== request.method) return refuse('htm');
    if (normalised(claims['htu']) !== htuOf(request.url)) return refuse('htu');
    const { iat, jti } = claims;
    if (typeof iat !== 'number' || Math.abs(iat - now() / 1000) > window) return refuse('iat');
    if (typeof jti !== 'string' || jti.length < 8 || jti.length > 256) return refuse('jti');
    if (accessToken !== undefined && claims['ath'] !== (await sha256(accessToken))) return refuse('ath');
    if (requireNonce && claims['nonce'] !== currentNonce()) return { error: 'use_dpop_nonce', reason: 'nonce' };
    const jkt = await sha256(JSON.stringify({ crv, kty, x, y }));
    // Last, so a proof refused for another reason does not use up its jti.
    const replayKey = `${jkt}:${jti}`;
    for (const [key, forgetAt] of seen) if (forgetAt <= now()) seen.delete(key);
    if (seen.has(replayKey)) return refuse('jti replayed');
    seen.set(replayKey, now() + 2 * window * 1000);
    return { jkt };
  }

  /**
   * The answer to a refused proof: 400 `{ error }` from a token endpoint, 401 with a `DPoP`
   * challenge from a resource; `error_description` names the failed check.
   */
  function refusal(status: 400 | 401, error: string, description: string): Response {
    const challenge = status === 401 ? { 'WWW-Authenticate': `DPoP error="${error}", algs="ES256"` } : {};
    return HttpResponse.json(
      { error, error_description: description },
      { status, headers: { ...NO_STORE, ...challenge, ...nonceHeader() } },
    );
  }

  return {
    verify,
    refusal,
    nonceHeader,
    /**
     * A token endpoint's proof: `{}` without one (a plain bearer token is issued), the key's
     * thumbprint to bind the token to, or the 400 answer.
     */
    async tokenRequest(request: Request): Promise<{ jkt?: string } | Response> {
      if (!request.headers.has('DPoP')) return {};
      const result = await verify(request);
      return 'jkt' in result ? result : refusal(400, result.error, result.reason);
    },
    /**
     * A resource call with an access token: `null` when it may pass, else the 401. A bound token
     * (`jkt`) needs the `DPoP` scheme and a proof by its key for this token; the `DPoP` scheme
     * needs a bound token.
     */
    async resourceRequest(request: Request, token: string, scheme: string, jkt: string | undefined): Promise<Response | null> {
      if (jkt === undefined) return refusal(401, 'invalid_token', 'not a DPoP-bound token');
      if (scheme.toLowerCase() !== 'dpop') return refusal(401, 'invalid_token', 'a DPoP-bound token needs the DPoP scheme');
      if (!request.headers.has('DPoP')) return refusal(401, 'invalid_token', 'no proof');
      const result = await verify(request, token);
      if (!('jkt' in result)) return refusal(401, result.error, result.reason);
      return result.jkt === jkt ? null : refusal(401, 'invalid_token', 'proof by another key');
    },
    reset(): void {
      seen.clear();
      nonce = { value: '', until: 0 };
    },
  };
}

/** The mock's DPoP side, as {@link createDpopVerifier} makes it. */
export type DpopVerifier = ReturnType<typeof createDpopVerifier>;
