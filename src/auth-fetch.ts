import type { AccessTokens } from './access-token';
import type { Config } from './options';

/**
 * `fetch` with the session's bearer token, for the authorized origins only.
 * The numbered rules are CONTRACT.md's "authFetch rules".
 */
export function createAuthFetch(config: Config<unknown>, tokens: AccessTokens) {
  return async function authFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const fetchImpl = config.getFetch();
    const url = parseUrl(input);
    // Rule 7: other origins (and URLs we cannot place) pass through untouched.
    if (!url || !config.isAuthorized(url)) return fetchImpl(input, init);

    // Rule 3 replays the request, so its body is needed twice. A string, Blob, FormData or buffer can
    // simply be sent again; only a Request or a stream body needs a Request built and cloned up front.
    const isStream = typeof (init?.body as ReadableStream | null | undefined)?.getReader === 'function';
    const attempt = (input instanceof Request || isStream ? cloneable : reusable)(fetchImpl, input, init);
    // Rule 1: a caller's own Authorization is theirs; its 401s are theirs too.
    if (attempt.headers.has('Authorization')) return attempt.send(null);

    const token = await tokens.forRequest(attempt.signal); // Rule 2
    if (token === null) return attempt.send(null);
    const sent = tokens.sentWith(token);
    const response = await attempt.send(token);
    if (response.status !== 401) return response;

    let next: string | null;
    try {
      next = await tokens.afterUnauthorized(sent, attempt.signal);
    } catch (error) {
      void response.body?.cancel().catch(() => {}); // Rules 5 and 6: the caller gets the error, not this 401.
      throw error;
    }
    // Rule 4: the session is over; the caller gets its own 401, body unread.
    if (next === null) return response;
    void response.body?.cancel().catch(() => {});
    return attempt.send(next); // Once, never again: a second 401 is the caller's.
  };
}

interface Attempt {
  headers: Headers;
  signal: AbortSignal | null | undefined;
  /** Sends the request, with `Authorization: Bearer <token>` unless `token` is null. */
  send(token: string | null): Promise<Response>;
}

/** A URL input with a body that can be sent twice: no Request needed, only our own Headers. */
function reusable(fetchImpl: typeof fetch, input: RequestInfo | URL, init: RequestInit | undefined): Attempt {
  const headers = new Headers(init?.headers);
  return {
    headers,
    signal: init?.signal,
    send(token) {
      if (token === null) return fetchImpl(input, init);
      headers.set('Authorization', `Bearer ${token}`);
      return fetchImpl(input, { ...init, headers });
    },
  };
}

/** A Request or a stream body: build the Request once, and keep an unsent copy for the replay. */
function cloneable(fetchImpl: typeof fetch, input: RequestInfo | URL, init: RequestInit | undefined): Attempt {
  let request = new Request(input, init);
  let spare: Request | undefined;
  return {
    headers: request.headers,
    signal: request.signal,
    send(token) {
      if (token === null) return fetchImpl(request);
      if (spare) request = spare;
      else if (request.body !== null) spare = request.clone();
      request.headers.set('Authorization', `Bearer ${token}`);
      return fetchImpl(request);
    },
  };
}

function parseUrl(input: RequestInfo | URL): URL | null {
  try {
    return new URL(input instanceof Request ? input.url : String(input), globalThis.location?.href);
  } catch {
    return null;
  }
}
