import { AuthError } from './errors';
import type { AuthClientOptions, EndpointConfig, EndpointName } from './types';

const DEFAULT_PATHS: Partial<Record<EndpointName, string>> = {
  login: '/auth/login',
  register: '/auth/register',
  refresh: '/auth/refresh-token',
  logout: '/auth/logout',
  mfa: '/auth/mfa/verify',
  sessions: '/auth/sessions',
};
/** Whether `call` carries the access token unless its endpoint says `bearer: false`. */
const isBearerByDefault = (call: EndpointName) => call.startsWith('logout') || call === 'sessions';

export const ABSOLUTE_URL = /^[a-z][a-z\d+.-]*:/i;

// Only a relative value needs a base: a page whose origin is "null" (a srcdoc or about:blank
// iframe) has no usable one, yet works with an absolute baseUrl.
export const toUrl = (value: string) => new URL(value, ABSOLUTE_URL.test(value) ? undefined : globalThis.location?.origin);

/** An auth call, ready for `postAuth`. */
export interface PreparedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** JSON to send; never for GET or HEAD. */
  body: Record<string, unknown> | undefined;
  /** Whether the call carries the access token. */
  bearer: boolean;
}

export interface Endpoints {
  url_(call: EndpointName): string;
  /**
   * The request for `call`: `sent` merged with the endpoint's `body`, its headers, CSRF, and the token
   * where it belongs. Throws `AuthError` when the CSRF header cannot be made, unless `onCsrfError`
   * is given: then it is told, and the request goes without that header.
   */
  prepare_(call: EndpointName, sent?: Record<string, unknown>, accessToken?: string | null, onCsrfError?: (error: AuthError) => void): PreparedCall;
  /** The header that carries the token (`tokenHeader.name`). */
  tokenHeaderName_: string;
  /** `[header name, value]` that carries `token`. */
  tokenHeader_(token: string): [string, string];
}

/**
 * @param tokenHeader - where the token goes, as `resolveConfig` decided it (`scheme: null`: the bare token).
 */
export function createEndpoints(
  { baseUrl, endpoints, csrf }: Pick<AuthClientOptions, 'baseUrl' | 'endpoints' | 'csrf'>,
  { name, scheme }: { name: string; scheme: string | null },
): Endpoints {
  const spec = (call: EndpointName): EndpointConfig => {
    const endpoint = endpoints?.[call] ?? DEFAULT_PATHS[call];
    if (endpoint === undefined) throw new TypeError(`tokenkeeper: no endpoint named ${call}`);
    return typeof endpoint === 'string' ? { path: endpoint } : endpoint;
  };
  const url = (call: EndpointName) => {
    const { path } = spec(call);
    return ABSOLUTE_URL.test(path) ? path : toUrl(baseUrl.replace(/\/*$/, '/') + path.replace(/^\/+/, '')).href;
  };
  const tokenHeader = (token: string): [string, string] => [name, scheme ? `${scheme} ${token}` : token];

  return {
    url_: url,
    tokenHeaderName_: name,
    tokenHeader_: tokenHeader,
    prepare_(call, sent, accessToken, onCsrfError) {
      const { method = 'POST', headers, body, bearer = isBearerByDefault(call) } = spec(call);
      const extra = typeof body === 'function' ? body(sent ?? {}) : body;
      const merged = sent || extra ? { ...sent, ...extra } : undefined;
      const prepared: PreparedCall = {
        url: url(call),
        method: method.toUpperCase(),
        headers: { ...csrfHeaders(csrf, onCsrfError), ...(typeof headers === 'function' ? headers() : headers) },
        body: /^(GET|HEAD)$/i.test(method) ? undefined : merged,
        bearer,
      };
      if (bearer && accessToken) {
        const [header, value] = tokenHeader(accessToken);
        prepared.headers[header] = value;
      }
      return prepared;
    },
  };
}

/**
 * Double submit: the script-readable cookie's value, read at each call (the server rotates it). A
 * value that is not URI-encoded (a cookie tossed from a sibling subdomain) or a `csrf` function that
 * throws is an `AuthError`: thrown, or told to `onError` and the header left out.
 */
function csrfHeaders(csrf: AuthClientOptions['csrf'], onError?: (error: AuthError) => void): Record<string, string> | undefined {
  try {
    if (typeof csrf === 'function') return csrf();
    if (!csrf) return undefined;
    const pair = globalThis.document?.cookie.split(/; */).find((cookie) => cookie.startsWith(`${csrf.cookie}=`));
    return pair ? { [csrf.header]: decodeURIComponent(pair.slice(csrf.cookie.length + 1)) } : undefined;
  } catch (cause) {
    const error = new AuthError('network', 'CSRF header not sent: its cookie is malformed or the csrf option threw', { cause });
    if (!onError) throw error;
    onError(error);
  }
}
