import type { AccessTokens } from './access-token';
import type { Config } from './options';

/**
 * `fetch` with the session's bearer token, for the authorized origins only.
 * The numbered rules are CONTRACT.md's "authFetch rules".
 */
export function createAuthFetch(config: Config<unknown>, tokens: AccessTokens) {
  return async function authFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const fetchImpl = config.getFetch();
    const url = absoluteUrl(input);
    // Rule 7: other origins (and URLs we cannot place) pass through untouched.
    if (url === null || !config.isAuthorized(url)) return fetchImpl(input, init);

    const request = input instanceof Request ? new Request(input, init) : new Request(url, init);
    // Rule 1: a caller's own Authorization is theirs; its 401s are theirs too.
    if (request.headers.has('Authorization')) return fetchImpl(request);

    const signal = request.signal;
    const token = await tokens.forRequest(signal); // Rule 2
    if (token === null) return fetchImpl(request);

    // Rule 3 needs the body a second time, so keep an unsent copy before the first send.
    const replay = request.clone();
    const sent = tokens.sentWith(token);
    const response = await send(fetchImpl, request, token);
    if (response.status !== 401) return response;

    const next = await settleFirst(tokens.afterUnauthorized(sent, signal), response);
    // Rule 4: the session is over; the caller gets its own 401, body unread.
    if (next === null) return response;
    void response.body?.cancel().catch(() => {});
    return send(fetchImpl, replay, next); // Once, never again: a second 401 is the caller's.
  };
}

function send(fetchImpl: typeof fetch, request: Request, token: string): Promise<Response> {
  request.headers.set('Authorization', `Bearer ${token}`);
  return fetchImpl(request);
}

/** Frees the unused 401's body when the refresh fails (rule 5) or the caller aborts (rule 6). */
async function settleFirst<T>(pending: Promise<T>, unused: Response): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    void unused.body?.cancel().catch(() => {});
    throw error;
  }
}

function absoluteUrl(input: RequestInfo | URL): string | null {
  if (input instanceof Request) return input.url;
  try {
    return new URL(String(input), globalThis.location?.href).href;
  } catch {
    return null;
  }
}
