import type { AccessTokens } from './access-token';
import type { Config } from './options';

/**
 * `fetch` with the session's bearer token, for the authorized origins only.
 * The numbered rules are CONTRACT.md's "authFetch rules".
 */
export function createAuthFetch(config: Pick<Config<unknown>, 'getFetch' | 'isAuthorized' | 'log' | 'endpoints'>, tokens: AccessTokens) {
  return async function authFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const { log } = config;
    // The signing fetch is made at each send: only a request that goes to an authorized origin needs it.
    const attempt = prepare(config.getFetch, input, init);
    // Rule 7: other origins, and anything we cannot place, pass through untouched (no DPoP proof either).
    if (!attempt || !config.isAuthorized(attempt.url)) {
      log('no token: origin not authorized', { origin: attempt?.url.origin });
      return config.getFetch(true)(input, init);
    }
    const { tokenHeader, tokenHeaderName } = config.endpoints;
    // Rule 1: a caller's own Authorization (or `tokenHeader`) is theirs; its 401s are theirs too.
    if (attempt.headers.has(tokenHeaderName)) return attempt.send(null);

    const token = await tokens.forRequest(attempt.signal); // Rule 2
    if (token === null) {
      log('no token: signed out', { origin: attempt.url.origin });
      return attempt.send(null);
    }
    const sent = tokens.sentWith(token);
    const response = await attempt.send(tokenHeader(token));
    // A 401 from another origin we were redirected to is not about our token: the platform
    // stripped it on the way. Refreshing and replaying would send a POST twice.
    if (response.status !== 401) return response;
    if (response.redirected && !response.url.startsWith(`${attempt.url.origin}/`)) {
      log('401: cross-origin redirect');
      return response;
    }

    let next: string | null;
    try {
      next = await tokens.afterUnauthorized(sent, attempt.signal);
    } catch (error) {
      void response.body?.cancel().catch(() => {}); // Rules 5 and 6: the caller gets the error, not this 401.
      throw error;
    }
    // Rule 4, a session that ended or changed since the request went out, or a body that cannot be
    // sent again: the caller gets its own 401, body unread.
    if (next === null || !attempt.replayable) {
      log(next ? '401: body not replayable' : '401: session changed');
      return response;
    }
    void response.body?.cancel().catch(() => {});
    log('401: replayed');
    return attempt.send(tokenHeader(next)); // Once, never again: a second 401 is the caller's.
  };
}

interface Attempt {
  /** Where it goes: the very URL that `fetch` is given. */
  url: URL;
  headers: Headers;
  signal: AbortSignal | null | undefined;
  /** False for a body that can be read only once (an async iterable, a Node `Readable`). */
  replayable: boolean;
  /** Sends the request, with the token's `[header, value]` unless null. */
  send(token: [string, string] | null): Promise<Response>;
}

/**
 * Decides where the request goes, and sends exactly that: a string resolved against the document's
 * base URL (as `fetch` resolves it, `<base href>` included), a URL's `href`, a Request (of any realm,
 * recognised by its brand) rebuilt once here. Any other object is `null`: stringifying it could
 * answer one URL to us and another to `fetch`.
 */
function prepare(fetchImpl: () => typeof fetch, input: RequestInfo | URL, init: RequestInit | undefined): Attempt | null {
  const body = init?.body as { getReader?: unknown; [Symbol.asyncIterator]?: unknown } | null | undefined;
  try {
    let request: Request | undefined;
    let url: URL;
    if (Object.prototype.toString.call(input) === '[object Request]') url = new URL((request = new Request(input, init)).url);
    else {
      const href = typeof input === 'string' ? input : input instanceof URL ? input.href : null;
      if (href === null) return null;
      url = new URL(href, globalThis.document?.baseURI ?? globalThis.location?.href);
      // Rule 3 replays the request, so its body is needed twice. A string, Blob, FormData or buffer
      // can simply be sent again; a stream needs a Request built up front, to be cloned.
      if (typeof body?.getReader === 'function') request = new Request(url, init);
    }
    const headers = request?.headers ?? new Headers(init?.headers);
    let spare: Request | undefined;
    return {
      url,
      headers,
      signal: request ? request.signal : init?.signal,
      // An async iterable or a Node Readable can be read only once.
      replayable: !!request || typeof body?.[Symbol.asyncIterator] !== 'function',
      send(token) {
        if (!request) {
          if (token) headers.set(...token);
          return fetchImpl()(url.href, { ...init, headers });
        }
        if (token) {
          // Keep an unsent copy for the replay.
          if (spare) request = spare;
          else if (request.body !== null) spare = request.clone();
          request.headers.set(...token);
        }
        return fetchImpl()(request);
      },
    };
  } catch {
    return null; // unparseable: fetch itself will say why
  }
}
