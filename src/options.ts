import { callSafely } from './call-safely';
import type { AuthClientOptions, AuthEndpoints, DebugEntry, ResolveUserContext, TokenResponse } from './types';
import { parseTokenResponse } from './token-response';

/** The `debug` option's sink: one line per decision, never a token. */
export type Log = (message: string, detail?: Record<string, unknown>) => void;

const DEFAULT_ENDPOINTS: AuthEndpoints = {
  login: '/auth/login',
  register: '/auth/register',
  refresh: '/auth/refresh-token',
  logout: '/auth/logout',
};

const ABSOLUTE_URL = /^[a-z][a-z\d+.-]*:/i;

/** Options normalised once, at the edge. */
export interface Config<TUser> {
  endpointUrl(name: keyof AuthEndpoints): string;
  /** True when `url` is on an authorized origin. */
  isAuthorized(url: URL): boolean;
  refreshMarginMs: number;
  timeoutMs: number;
  parse: (body: unknown) => TokenResponse<TUser>;
  resolveUser: ((context: ResolveUserContext<TUser>) => TUser | null) | undefined;
  getFetch(): typeof fetch;
  log: Log;
}

export function resolveConfig<TUser>(options: AuthClientOptions<TUser>): Config<TUser> {
  const { baseUrl, refreshMargin = 30, timeout = 10_000, endpoints, authorizedOrigins, debug } = options;
  // Negated comparisons also catch NaN and non-numbers.
  if (!baseUrl || typeof baseUrl !== 'string') throw new TypeError('tokenkeeper: baseUrl required');
  if (!(refreshMargin >= 0 && refreshMargin < Infinity)) throw new TypeError('tokenkeeper: bad refreshMargin');
  if (!(timeout > 0 && timeout < Infinity)) throw new TypeError('tokenkeeper: bad timeout');
  if (ABSOLUTE_URL.test(baseUrl)) toUrl(baseUrl); // fail fast on a malformed absolute URL
  const paths = { ...DEFAULT_ENDPOINTS, ...endpoints };
  // Resolved on first use, not here: during SSR a relative baseUrl has no `location` to resolve against.
  let origins: string[] | undefined;

  return {
    endpointUrl(name) {
      const path = paths[name];
      if (ABSOLUTE_URL.test(path)) return path;
      const base = toUrl(baseUrl);
      return `${base.origin}${base.pathname.replace(/\/*$/, '/')}${path.replace(/^\/+/, '')}`;
    },
    isAuthorized(url) {
      try {
        origins ??= (authorizedOrigins ?? [baseUrl]).map((origin) => toUrl(origin).origin);
      } catch {
        return false; // Nothing resolvable (SSR with a relative baseUrl): nothing is authorized.
      }
      return origins.includes(url.origin);
    },
    refreshMarginMs: refreshMargin * 1000,
    timeoutMs: timeout,
    parse: options.parseTokenResponse ?? (parseTokenResponse as (body: unknown) => TokenResponse<TUser>),
    resolveUser: options.resolveUser,
    getFetch: () => options.fetch ?? globalThis.fetch,
    log:
      typeof debug === 'function'
        ? (message, detail) => callSafely(debug, { ...detail, message } as DebugEntry)
        : debug
          ? (message, detail) => console.debug(`[tokenkeeper] ${message}`, detail ?? '')
          : () => {},
  };
}

// Only a relative value needs a base: a page whose origin is "null" (a srcdoc or about:blank
// iframe) has no usable one, yet works with an absolute baseUrl.
const toUrl = (value: string) => new URL(value, ABSOLUTE_URL.test(value) ? undefined : globalThis.location?.origin);
