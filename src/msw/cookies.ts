// The refresh token cookie. HttpOnly keeps it from scripts (XSS), Secure from plain HTTP, and
// SameSite=Strict from cross-site requests (CSRF); Path scopes it to the auth endpoints.

/** Which cookie, the path it is sent to, and whether it may carry `Secure`. */
export interface CookieScope {
  name: string;
  path: string;
  /** False for a plain-http API off localhost: browsers (and MSW's jar) refuse a Secure cookie from it. */
  secure: boolean;
}

/**
 * Whether browsers treat `url` as a secure context, the only place they store a Secure cookie:
 * https, or plain http to a loopback host.
 *
 * @example
 * isSecureOrigin('http://localhost:5173'); // true
 * isSecureOrigin('http://api.test'); // false
 */
export function isSecureOrigin(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'https:' || protocol === 'wss:') return true;
  return (
    hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}

function attributes(scope: CookieScope): string {
  return `HttpOnly; ${scope.secure ? 'Secure; ' : ''}SameSite=Strict`;
}

/**
 * `Set-Cookie` value carrying a refresh token.
 *
 * @example
 * setRefreshCookie({ name: 'tk_refresh', path: '/auth', secure: true }, token, 1_209_600);
 */
export function setRefreshCookie(scope: CookieScope, token: string, maxAge: number): string {
  return `${scope.name}=${token}; ${attributes(scope)}; Path=${scope.path}; Max-Age=${maxAge}`;
}

/**
 * `Set-Cookie` value that deletes the refresh token cookie; same name and path, or browsers
 * would keep the original.
 *
 * @example
 * clearRefreshCookie({ name: 'tk_refresh', path: '/auth', secure: true });
 */
export function clearRefreshCookie(scope: CookieScope): string {
  return `${scope.name}=; Max-Age=0; Path=${scope.path}; ${attributes(scope)}`;
}
