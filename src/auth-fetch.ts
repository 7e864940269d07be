import type { AccessTokens } from './access-token';
import type { Config } from './options';

/**
 * `fetch` with the session's bearer token, for the authorized origins only.
 * The numbered rules are CONTRACT.md's "authFetch rules".
 */
export function createAuthFetch(
  config: Pick<Config<unknown>, 'getFetch_' | 'isAuthorized_' | 'log_' | 'endpoints_' | 'dpop_' | 'holdsRedirects_'>,
  tokens: AccessTokens,
) {
  return async function authFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const { log_: log } = config;
    const url = targetOf(input);
    // Rule 7: other origins, and anything we cannot place, pass through untouched (no DPoP proof
    // either): the caller's very Request, unread, whatever its body.
    if (!url || !config.isAuthorized_(url)) {
      log('no token: origin not authorized', { origin: url?.origin });
      return config.getFetch_(true)(input, init);
    }
    const attempt = prepare(config, url, input, init);
    const { tokenHeader_: tokenHeader, tokenHeaderName_: tokenHeaderName } = config.endpoints_;
    // Rule 1: a caller's own Authorization (or `tokenHeader`) is theirs; its 401s are theirs too.
    if (attempt.headers_.has(tokenHeaderName)) return attempt.send_(null);

    const token = await tokens.forRequest_(attempt.signal_); // Rule 2
    if (token === null) {
      log('no token: signed out', { origin: url.origin });
      return attempt.send_(null);
    }
    const sent = tokens.sentWith_(token);
    const response = await attempt.send_(tokenHeader(token));
    if (response.status !== 401) return response;
    // A 401 from another origin we were redirected to is not about our token: the platform
    // stripped it on the way. Refreshing and replaying would send a POST twice.
    if (response.redirected && !response.url.startsWith(`${url.origin}/`)) {
      log('401: cross-origin redirect');
      return response;
    }
    // The one retry with a new nonce is done (tokenkeeper/dpop): a nonce is not an expired token.
    if (config.dpop_?.isNonceError(401, response.headers)) {
      log('401: DPoP nonce, not refreshing');
      return response;
    }

    let next: string | null;
    try {
      next = await tokens.afterUnauthorized_(sent, attempt.signal_);
    } catch (error) {
      void response.body?.cancel().catch(() => {}); // Rules 5 and 6: the caller gets the error, not this 401.
      throw error;
    }
    // Rule 4, a session that ended or changed since the request went out, or a body that cannot be
    // sent again: the caller gets its own 401, body unread.
    if (next === null || !attempt.replayable_) {
      log(next ? '401: body not replayable' : '401: session changed');
      return response;
    }
    void response.body?.cancel().catch(() => {});
    log('401: replayed');
    return attempt.send_(tokenHeader(next)); // Once, never again: a second 401 is the caller's.
  };
}

/**
 * Where the request goes, read without touching its body: a string resolved against the document's
 * base URL (as `fetch` resolves it, `<base href>` included), a URL's `href`, a Request's `url` (of
 * any realm, recognised by its brand). Any other object is `null`: stringifying it could answer one
 * URL to us and another to `fetch`.
 */
function targetOf(input: RequestInfo | URL): URL | null {
  try {
    if (Object.prototype.toString.call(input) === '[object Request]') return new URL((input as Request).url);
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : null;
    return href === null ? null : new URL(href, globalThis.document?.baseURI ?? globalThis.location?.href);
  } catch {
    return null; // unparseable: fetch itself will say why
  }
}

interface Attempt {
  headers_: Headers;
  signal_: AbortSignal | null | undefined;
  /** False for a body that can be read only once (an async iterable, a Node `Readable`). */
  replayable_: boolean;
  /** Sends the request, with the token's `[header, value]` unless null. */
  send_(token: [string, string] | null): Promise<Response>;
}

/** A request to an authorized origin, ready to be sent, and sent again once for rule 3's replay. */
function prepare(
  config: Pick<Config<unknown>, 'getFetch_' | 'holdsRedirects_'>,
  url: URL,
  input: RequestInfo | URL,
  init: RequestInit | undefined,
): Attempt {
  const body = init?.body as { getReader?: unknown; [Symbol.asyncIterator]?: unknown } | null | undefined;
  // Rule 3 replays the request, so its body is needed twice. A string, Blob, FormData or buffer
  // can simply be sent again; a Request or a stream is kept unsent, and each send takes a copy.
  const isRequest = typeof input !== 'string' && !(input instanceof URL);
  const template = isRequest || typeof body?.getReader === 'function' ? new Request(isRequest ? input : url, init) : undefined;
  const headers = template?.headers ?? new Headers(init?.headers);
  const mode = (template ?? init)?.redirect ?? 'follow';
  return {
    headers_: headers,
    signal_: template ? template.signal : init?.signal,
    // An async iterable or a Node Readable can be read only once.
    replayable_: !!template || typeof body?.[Symbol.asyncIterator] !== 'function',
    send_(token) {
      if (token) headers.set(...token);
      // Platforms strip only `Authorization` on a cross-origin redirect: a token in any other
      // header, or a DPoP proof, would follow it. Such a request is answered its redirect instead.
      const redirect = config.holdsRedirects_(token) && mode === 'follow' ? 'manual' : mode;
      const overrides = { headers, redirect };
      return config.getFetch_()(template ? new Request(template.clone(), overrides) : url.href, template ? undefined : { ...init, ...overrides });
    },
  };
}
