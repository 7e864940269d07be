// Double-submit CSRF for the cross-site mode. With the refresh cookie SameSite=None, the browser
// attaches it to requests other pages make too; those pages cannot read GET /auth/csrf (CORS
// answers only SPA_ORIGINS) and cannot set this __Host- cookie (another site, and the prefix
// refuses Domain= from a sibling subdomain), so they cannot send the matching header.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { HttpError, parseCookies, sendJson } from './http.mjs';

export const CSRF_COOKIE = '__Host-tk_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
/** 400 days, the longest a browser keeps a cookie; every GET /auth/csrf extends it. */
const MAX_AGE = 400 * 24 * 3600;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The routes that read or set the refresh cookie: the only ones a forged request can abuse. */
export const CSRF_CHECKED = new Set([
  'POST /auth/login', 'POST /auth/register', 'POST /auth/refresh-token', 'POST /auth/logout',
  'POST /auth/mfa/verify', 'GET /auth/sessions', 'DELETE /auth/sessions/:id',
]);

/** SHA-256 first, so values of any length compare in constant time. @param {string} value */
const digest = (value) => createHash('sha256').update(value).digest();

/**
 * @param {{ partitioned: boolean }} options
 * @returns {{ check(req: import('./http.mjs').Req): void, routes: Record<string, import('./account-context.d.mts').Route> }}
 */
export function createCsrf({ partitioned }) {
  const cookie = (/** @type {string} */ value) =>
    `${CSRF_COOKIE}=${value}; HttpOnly; Secure; SameSite=None; Path=/; Max-Age=${MAX_AGE}${partitioned ? '; Partitioned' : ''}`;
  const current = (/** @type {import('./http.mjs').Req} */ req) => {
    const value = parseCookies(req.headers.cookie)[CSRF_COOKIE];
    return value !== undefined && TOKEN.test(value) ? value : undefined;
  };

  return {
    /** Throws 403 `{ error: 'csrf', reason }` unless the header equals the cookie. Changes nothing either way. */
    check(req) {
      const sent = req.headers[CSRF_HEADER.toLowerCase()];
      const expected = current(req);
      // `no_cookie` usually means the browser dropped a third-party cookie: worth telling apart.
      if (!expected) throw new HttpError(403, 'csrf', { reason: 'no_cookie' });
      if (typeof sent !== 'string' || sent === '') throw new HttpError(403, 'csrf', { reason: 'missing' });
      if (!timingSafeEqual(digest(sent), digest(expected))) throw new HttpError(403, 'csrf', { reason: 'mismatch' });
    },
    routes: {
      // The browser's token, not the session's: minted once, then handed back unchanged, so every
      // tab reads the same value and a login or logout in one tab leaves the others' token valid.
      async 'GET /auth/csrf'(req, res) {
        const token = current(req) ?? randomBytes(32).toString('base64url');
        sendJson(res, 200, { csrfToken: token }, { 'Set-Cookie': cookie(token) });
      },
    },
  };
}
