// The refresh token cookie. HttpOnly keeps it from scripts (XSS), Secure from plain HTTP, and
// SameSite=Strict from cross-site requests (CSRF); Path scopes it to the auth endpoints.

/** Which cookie, and the path it is sent to. */
export interface CookieScope {
  name: string;
  path: string;
}

const ATTRIBUTES = 'HttpOnly; Secure; SameSite=Strict';

/**
 * `Set-Cookie` value carrying a refresh token.
 *
 * @example
 * setRefreshCookie({ name: 'tk_refresh', path: '/auth' }, token, 1_209_600);
 */
export function setRefreshCookie(scope: CookieScope, token: string, maxAge: number): string {
  return `${scope.name}=${token}; ${ATTRIBUTES}; Path=${scope.path}; Max-Age=${maxAge}`;
}

/**
 * `Set-Cookie` value that deletes the refresh token cookie; same name and path, or browsers
 * would keep the original.
 *
 * @example
 * clearRefreshCookie({ name: 'tk_refresh', path: '/auth' });
 */
export function clearRefreshCookie(scope: CookieScope): string {
  return `${scope.name}=; Max-Age=0; Path=${scope.path}; ${ATTRIBUTES}`;
}
