// Server-provided DPoP nonces (RFC 9449 §8, §9): the newest per origin, and the answer that asks for one.

// RFC 9449's nonce grammar: 1*NQCHAR (visible ASCII but `"` and `\`). A header that fails it
// (empty, spaces, two values joined by ", ") is ignored rather than echoed back.
const NONCE = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
// `DPoP … error="use_dpop_nonce"` within a WWW-Authenticate header, quoted or not.
const NONCE_CHALLENGE = /\bDPoP\b.*\berror\s*=\s*"?use_dpop_nonce\b/i;

/** An absolute URL, or one relative to the page. */
export const toUrl = (url: string): URL => new URL(url, globalThis.location?.href);

/** Nonces per origin. */
export function createNonceCache() {
  const nonces = new Map<string, string>();
  return {
    /** The newest nonce of `origin`. */
    get: (origin: string): string | undefined => nonces.get(origin),
    /** Keeps the answer's `DPoP-Nonce` for its origin; `false` when it has none or a malformed one. */
    remember(url: string, headers: Headers): boolean {
      const nonce = headers.get('DPoP-Nonce');
      if (!nonce || !NONCE.test(nonce)) return false;
      nonces.set(toUrl(url).origin, nonce);
      return true;
    },
  };
}

/**
 * `use_dpop_nonce`: an authorization server's 400 with that JSON `error`, or a resource server's
 * 401 with a `DPoP` challenge naming it.
 */
export function isNonceError(status: number, headers: Headers, body?: unknown): boolean {
  if (status === 400) return (body as { error?: unknown } | null | undefined)?.error === 'use_dpop_nonce';
  return status === 401 && NONCE_CHALLENGE.test(headers.get('WWW-Authenticate') ?? '');
}
