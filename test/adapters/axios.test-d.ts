// Type-level tests for tokenkeeper/axios, checked by `npm run typecheck`: the instance is axios's
// own, any axios default goes in, and the two that would bypass authFetch do not.
import type { AxiosInstance, AxiosResponse } from 'axios';
import { expectTypeOf } from 'vitest';
import { createAuthClient } from 'tokenkeeper';
import { createAuthAxios, type AuthAxiosConfig } from 'tokenkeeper/axios';

const auth = createAuthClient<{ id: string }>({ baseUrl: 'https://api.example.com' });
const api = createAuthAxios(auth, { baseURL: 'https://api.example.com', timeout: 5000, headers: { 'X-Trace': 'a' }, env: { FormData } });

expectTypeOf(api).toEqualTypeOf<AxiosInstance>();
expectTypeOf(api.get<{ sku: string }>('/orders')).resolves.toEqualTypeOf<AxiosResponse<{ sku: string }>>();
expectTypeOf(createAuthAxios(auth)).toEqualTypeOf<AxiosInstance>();

// @ts-expect-error: the adapter is the fetch adapter on authFetch
createAuthAxios(auth, { adapter: 'xhr' });
// @ts-expect-error: env.fetch is the client's authFetch
createAuthAxios(auth, { env: { fetch: globalThis.fetch } });
expectTypeOf<AuthAxiosConfig>().not.toHaveProperty('adapter');
