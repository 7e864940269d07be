// ky is ESM-only, so dist/ky.cjs relies on require(esm): Node >= 20.19 / 22.12, or any bundler.
import ky, { isHTTPError, type BeforeRetryHook, type KyInstance, type Options } from 'ky';
import type { AuthClient } from './types';

/** ky options for {@link createAuthKy}; `fetch` is the client's own, so it is not one of them. */
export type AuthKyOptions = Omit<Options, 'fetch'>;

/**
 * authFetch has already spent the one refresh and the one replay a 401 gets (rule 3), so a 401
 * that reaches ky is final. Retrying it would send a fresh token, earn another 401 and so another
 * refresh per attempt. A hook, unlike `retry.shouldRetry`, survives `extend()` and per-request options.
 */
const finalUnauthorized: BeforeRetryHook = ({ error }) => {
  if (isHTTPError(error) && error.response.status === 401) throw error;
};

/**
 * A ky instance that sends every request through `client.authFetch`: `Authorization` for the
 * authorized origins, refresh before expiry, one shared refresh and one replay (body intact) on a
 * 401. ky's hooks, `prefixUrl`, timeouts, retries and JSON helpers work as usual, except that
 * ky never retries a 401: authFetch has already refreshed and replayed it once, and each ky retry
 * would refresh again. To inject a fetch, pass it to `createAuthClient`.
 *
 * @param client - the app's one client, from `createAuthClient`.
 * @param kyOptions - any ky options but `fetch`; `extend()` the result for more.
 * @example
 * import { createAuthKy } from 'tokenkeeper/ky';
 *
 * const api = createAuthKy(auth, { prefixUrl: 'https://api.example.com' });
 * const order = await api.post('orders', { json: { sku: 'A-1' } }).json<Order>();
 */
export function createAuthKy<TUser>(client: AuthClient<TUser>, kyOptions: AuthKyOptions = {}): KyInstance {
  return ky.create({
    ...kyOptions,
    // ky calls fetch(request, nonRequestOptions); authFetch takes the same pair, as fetch does.
    fetch: (input, init) => client.authFetch(input, init),
    hooks: { ...kyOptions.hooks, beforeRetry: [finalUnauthorized, ...(kyOptions.hooks?.beforeRetry ?? [])] },
  });
}
