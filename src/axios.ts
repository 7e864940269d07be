import axios, { isAxiosError, type AxiosInstance, type CreateAxiosDefaults, type InternalAxiosRequestConfig } from 'axios';
import type { AuthClient } from './types';

/** axios defaults for {@link createAuthAxios}: anything but `adapter` and `env.fetch`, which are the client's. */
export type AuthAxiosConfig = Omit<CreateAxiosDefaults, 'adapter' | 'env'> & {
  env?: Omit<NonNullable<CreateAxiosDefaults['env']>, 'fetch'>;
};

/**
 * Answers the final 401 a config got, while the session (`expiresAt`) is the one it got it under.
 * A string key, because axios copies a config's own keys into the config an interceptor or
 * axios-retry sends again; a function, so that loggers and serializers do not walk into the error.
 */
const SPENT = 'tokenkeeper401';
type Marked = InternalAxiosRequestConfig & { [SPENT]?: (session: number | null) => unknown };

/**
 * An axios instance that sends every request through `client.authFetch` (axios's `fetch` adapter
 * with `env.fetch`): the token for the authorized origins, refresh before expiry, one shared refresh
 * and one replay (body intact) on a 401. Interceptors, `baseURL`, `timeout`, transforms and errors
 * work as usual. A 401 that reaches axios is final: sending the same config again (a retrying
 * interceptor, axios-retry) under the same session answers that 401 again without a request, so
 * retries never cost more refreshes; after a new login or refresh it is sent.
 *
 * @param client - the app's one client, from `createAuthClient`.
 * @param config - axios defaults, as for `axios.create`, except `adapter` and `env.fetch`.
 * @example
 * import { createAuthAxios } from 'tokenkeeper/axios';
 *
 * const api = createAuthAxios(auth, { baseURL: 'https://api.example.com' });
 * const { data } = await api.post('/orders', { sku: 'A-1' });
 */
export function createAuthAxios<TUser>(client: AuthClient<TUser>, config: AuthAxiosConfig = {}): AxiosInstance {
  // authFetch takes fetch's (input, init), which is how the adapter calls env.fetch.
  const env = { ...config.env, fetch: (input: RequestInfo | URL, init?: RequestInit) => client.authFetch(input, init) };
  const send = axios.getAdapter('fetch', { env });
  const session = () => client.getState().expiresAt;
  return axios.create({
    ...config,
    env,
    adapter: (request: Marked) => {
      const spent = request[SPENT]?.(session());
      if (spent) return Promise.reject(spent);
      return send(request).catch((error: unknown) => {
        const at = session();
        if (isAxiosError(error) && error.response?.status === 401) request[SPENT] = (now) => (now === at ? error : undefined);
        throw error;
      });
    },
  });
}
