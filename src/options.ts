import type { AuthClientOptions, AuthEndpoints, AuthUser, TokenResponse } from './types';
import { parseTokenResponse as defaultParse } from './token-response';

const DEFAULT_ENDPOINTS: AuthEndpoints = {
  login: '/auth/login',
  register: '/auth/register',
  refresh: '/auth/refresh-token',
  logout: '/auth/logout',
};

const ABSOLUTE_URL = /^[a-z][a-z\d+.-]*:/i;

/** Options normalised once, at the edge. URLs resolve lazily: `location` may not exist when the client is created (SSR). */
export interface Config<TUser> {
  endpointUrl(name: keyof AuthEndpoints): string;
  /** True when `url` (absolute) is on an authorized origin. */
  isAuthorized(url: string): boolean;
  refreshMarginMs: number;
  timeoutMs: number;
  crossTab: boolean | undefined;
  parse: (body: unknown) => TokenResponse<TUser>;
  getFetch(): typeof fetch | undefined;
}

export function resolveConfig<TUser = AuthUser>(options: AuthClientOptions<TUser>): Config<TUser> {
  if (!options || typeof options.baseUrl !== 'string' || options.baseUrl === '') {
    throw new TypeError('tokenkeeper: createAuthClient needs a `baseUrl` string.');
  }
  const refreshMargin = options.refreshMargin ?? 30;
  if (!Number.isFinite(refreshMargin) || refreshMargin < 0) {
    throw new TypeError('tokenkeeper: `refreshMargin` must be a number of seconds ≥ 0.');
  }
  const timeout = options.timeout ?? 10_000;
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new TypeError('tokenkeeper: `timeout` must be a number of milliseconds > 0.');
  }
  const endpoints = { ...DEFAULT_ENDPOINTS, ...options.endpoints };
  let urls: { endpoints: AuthEndpoints; origins: Set<string> } | undefined;
  const resolved = () => (urls ??= resolveUrls(options.baseUrl, endpoints, options.authorizedOrigins));
  // Fail fast on a malformed absolute URL; a relative one waits for a `location`.
  if (ABSOLUTE_URL.test(options.baseUrl)) resolved();

  return {
    endpointUrl: (name) => resolved().endpoints[name],
    isAuthorized(url) {
      const origins = tryResolved(resolved)?.origins;
      return origins !== undefined && origins.has(new URL(url).origin);
    },
    refreshMarginMs: refreshMargin * 1000,
    timeoutMs: timeout,
    crossTab: options.crossTab,
    parse: options.parseTokenResponse ?? (defaultParse as (body: unknown) => TokenResponse<TUser>),
    getFetch: () => options.fetch ?? globalThis.fetch,
  };
}

function tryResolved<T>(resolve: () => T): T | undefined {
  try {
    return resolve();
  } catch {
    return undefined; // No resolvable baseUrl (SSR with a relative one): nothing is authorized.
  }
}

function resolveUrls(baseUrl: string, endpoints: AuthEndpoints, authorizedOrigins: readonly string[] | undefined) {
  const base = toUrl(baseUrl, 'baseUrl');
  const prefix = base.origin + base.pathname.replace(/\/+$/, '');
  const join = (path: string) => (ABSOLUTE_URL.test(path) ? path : `${prefix}/${path.replace(/^\/+/, '')}`);
  const origins = new Set((authorizedOrigins ?? [base.origin]).map((origin) => toUrl(origin, 'authorizedOrigins').origin));
  return {
    endpoints: {
      login: join(endpoints.login),
      register: join(endpoints.register),
      refresh: join(endpoints.refresh),
      logout: join(endpoints.logout),
    },
    origins,
  };
}

function toUrl(value: string, option: string): URL {
  try {
    return new URL(value, globalThis.location?.origin);
  } catch (cause) {
    throw new TypeError(`tokenkeeper: \`${option}\` "${value}" is not a valid URL here.`, { cause });
  }
}
