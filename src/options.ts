import { callSafely } from './call-safely';
import { createEndpoints, toUrl, ABSOLUTE_URL, type Endpoints } from './endpoints';
import { parseTokenResponse, type GrantOptions } from './token-response';
import type { AuthClientOptions, DebugEntry } from './types';

/** The `debug` option's sink: one line per decision, never a token. */
export type Log = (message: string, detail?: Record<string, unknown>) => void;

/** Options normalised once, at the edge. */
export interface Config<TUser> extends GrantOptions<TUser> {
  endpoints_: Endpoints;
  /** True when `url` is on an authorized origin. */
  isAuthorized_(url: URL): boolean;
  timeoutMs_: number;
  /** Tabs share the session (BroadcastChannel, Web Locks). */
  crossTab_: boolean;
  /** `endpoints.logoutEverywhere` is set: `logout({ everywhere: true })` calls it. */
  hasLogoutEverywhere_: boolean;
  /** What names a session across tabs: its refresh endpoint (realms and tenants on one origin differ by path). */
  sessionKey_(): string;
  /** Wrapped by the `dpop` option (auth calls, authorized `authFetch` requests) unless `plain`. */
  getFetch_(plain?: boolean): typeof fetch;
  /**
   * True when a request sent with `token` (`[header, value]`, or null) must not follow a redirect:
   * platforms strip only `Authorization` on a cross-origin redirect, and never a DPoP proof.
   */
  holdsRedirects_(token: [string, string] | null): boolean;
  log_: Log;
}

export function resolveConfig<TUser>(options: AuthClientOptions<TUser>): Config<TUser> {
  const { baseUrl, refreshMargin = 30, timeout = 10_000, authorizedOrigins, debug, refreshRefusedStatuses = [401, 403] } = options;
  const bad = (option: string) => {
    throw new TypeError(`tokenkeeper: bad ${option}`);
  };
  // Negated comparisons also catch NaN and non-numbers.
  if (!baseUrl || typeof baseUrl !== 'string') bad('baseUrl');
  if (!(refreshMargin >= 0 && refreshMargin < Infinity)) bad('refreshMargin');
  if (!(timeout > 0 && timeout < Infinity)) bad('timeout');
  if (ABSOLUTE_URL.test(baseUrl)) toUrl(baseUrl); // fail fast on a malformed absolute URL
  const crossTab = options.crossTab ?? typeof BroadcastChannel === 'function';
  if (crossTab && typeof BroadcastChannel !== 'function') {
    throw new TypeError('tokenkeeper: crossTab needs BroadcastChannel');
  }
  // Bound tokens go out as `DPoP <token>` unless the app names its own scheme.
  const { name: tokenHeaderName = 'Authorization', scheme = options.dpop ? 'DPoP' : 'Bearer' } = options.tokenHeader ?? {};
  const endpoints = createEndpoints(options, { name: tokenHeaderName, scheme });
  // Platforms strip only `Authorization` on a cross-origin redirect (and never a DPoP proof).
  const platformStripsToken = /^authorization$/i.test(tokenHeaderName);
  // Resolved on first use, not here: during SSR a relative baseUrl has no `location` to resolve against.
  let origins: string[] | undefined;
  let signing: typeof fetch | undefined;

  return {
    endpoints_: endpoints,
    isAuthorized_(url) {
      try {
        origins ??= (authorizedOrigins ?? [baseUrl]).map((origin) => toUrl(origin).origin);
      } catch {
        return false; // Nothing resolvable (SSR with a relative baseUrl): nothing is authorized.
      }
      return origins.includes(url.origin);
    },
    isRefused_: typeof refreshRefusedStatuses === 'function' ? refreshRefusedStatuses : (status) => refreshRefusedStatuses.includes(status),
    refreshMarginMs_: refreshMargin * 1000,
    timeoutMs_: timeout,
    crossTab_: crossTab,
    hasLogoutEverywhere_: !!options.endpoints?.logoutEverywhere,
    sessionKey_: () => endpoints.url_('refresh'),
    // The parser's user is taken as TUser, as the claims are (AuthClientOptions.parseTokenResponse).
    parse_: (options.parseTokenResponse ?? parseTokenResponse) as Config<TUser>['parse_'],
    resolveUser_: options.resolveUser,
    // The signing fetch is made once, on first use: a page without WebCrypto still reaches other origins.
    getFetch_: (plain) => (plain || !options.dpop ? options.fetch ?? globalThis.fetch : (signing ??= options.dpop.bind(options.fetch))),
    dpop_: options.dpop,
    holdsRedirects_: (token) => !!options.dpop || (!!token && !platformStripsToken),
    log_:
      typeof debug === 'function'
        ? (message, detail) => callSafely(debug, { ...detail, message } as DebugEntry)
        : debug
          ? (message, detail) => console.debug(`[tokenkeeper] ${message}`, detail ?? '')
          : () => {},
  };
}
