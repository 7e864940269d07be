import { AuthError } from './errors';
import type { AuthCall, AuthClientOptions, EndpointConfig } from './types';

const DEFAULT_PATHS: Partial<Record<AuthCall, string>> = {
  login: '/auth/login',
  register: '/auth/register',
  refresh: '/auth/refresh-token',
  logout: '/auth/logout',
  mfa: '/auth/mfa/verify',
};

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
}

export interface Endpoints {
  url(call: AuthCall): string;
  /**
   * The request for `call`: `sent` merged with the endpoint's `body`, its headers, CSRF, and the token
   * where it belongs. Throws `AuthError` when the CSRF header cannot be made, unless `onCsrfError`
   * is given: then it is told, and the request goes without that header.
   */
  prepare(call: AuthCall, sent?: Record<string, unknown>, accessToken?: string | null, onCsrfError?: (error: AuthError) => void): PreparedCall;
  /** The header that carries the token (`tokenHeader.name`). */
  tokenHeaderName: string;
  /** `[header name, value]` that carries `token`. */
  tokenHeader(token: string): [string, string];
}

export function createEndpoints(options: Pick<AuthClientOptions, 'baseUrl' | 'endpoints' | 'tokenHeader' | 'csrf' | 'dpop'>): Endpoints {
  const { baseUrl, tokenHeader: { name = 'Authorization', scheme = options.dpop ? 'DPoP' : 'Bearer' } = {}, csrf } = options;
  const spec = (call: AuthCall): EndpointConfig | undefined => {
    const endpoint = options.endpoints?.[call] ?? DEFAULT_PATHS[call];
    return typeof endpoint === 'string' ? { path: endpoint } : endpoint;
  };
  const url = (call: AuthCall) => {
    const path = spec(call)?.path ?? '';
    return ABSOLUTE_URL.test(path) ? path : toUrl(baseUrl.replace(/\/*$/, '/') + path.replace(/^\/+/, '')).href;
  };
  const tokenHeader = (token: string): [string, string] => [name, scheme ? `${scheme} ${token}` : token];

  return {
    url,
    tokenHeaderName: name,
    tokenHeader,
    prepare(call, sent, accessToken, onCsrfError) {
      const { method = 'POST', headers, body, bearer = call.startsWith('logout') } = spec(call)!;
      const extra = typeof body === 'function' ? body(sent ?? {}) : body;
      const merged = sent || extra ? { ...sent, ...extra } : undefined;
      const prepared: PreparedCall = {
        url: url(call),
        method: method.toUpperCase(),
        headers: { ...csrfHeaders(csrf, onCsrfError), ...(typeof headers === 'function' ? headers() : headers) },
        body: /^(GET|HEAD)$/i.test(method) ? undefined : merged,
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
