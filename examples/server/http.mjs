// Small node:http helpers: JSON in and out, cookies, bearer tokens, CORS.

/** @typedef {import('node:http').IncomingMessage} Req @typedef {import('node:http').ServerResponse} Res */

/** An error that is also the HTTP response to send. */
export class HttpError extends Error {
  /**
   * @param {number} status
   * @param {string} code sent as `{ error: code }`
   * @param {Record<string, unknown>} [extra] more body fields
   * @param {Record<string, string>} [headers]
   */
  constructor(status, code, extra = {}, headers = {}) {
    super(code);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.extra = extra;
    this.headers = headers;
  }
}

/**
 * The answer to a guessing limit: `429 { error: 'too_many_attempts' }` with `Retry-After` in whole seconds.
 * @param {number} retryAfterMs
 */
export const tooManyAttempts = (retryAfterMs) =>
  new HttpError(429, 'too_many_attempts', {}, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) });

/**
 * Reads a JSON body of at most `limit` bytes.
 * @param {Req} req @param {number} limit
 * @returns {Promise<unknown>} undefined for an empty body
 */
export async function readJson(req, limit) {
  if (Number(req.headers['content-length'] ?? 0) > limit) throw new HttpError(413, 'payload_too_large');
  const chunks = [];
  let size = 0;
  // Keep draining past the limit instead of destroying the request, so the
  // client receives the 413 rather than a reset connection.
  for await (const chunk of req) if ((size += chunk.length) <= limit) chunks.push(chunk);
  if (size > limit) throw new HttpError(413, 'payload_too_large');
  if (size === 0) return undefined;
  // Requiring JSON also forces a CORS preflight, so a plain cross-site form cannot post here.
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    throw new HttpError(400, 'invalid_request', { message: 'expected Content-Type: application/json' });
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_request', { message: 'malformed JSON' });
  }
}

/** @param {Res} res @param {number} status @param {unknown} [body] @param {Record<string, string>} [headers] */
export function sendJson(res, status, body, headers = {}) {
  // Tokens and user data must never land in a shared or browser cache.
  const type = body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' };
  res.writeHead(status, { 'Cache-Control': 'no-store', ...type, ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** @param {string | undefined} header @returns {Record<string, string>} */
export function parseCookies(header = '') {
  /** @type {Record<string, string>} */
  const cookies = {};
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return cookies;
}

/** @param {Req} req @returns {string | null} */
export function bearerToken(req) {
  return /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
}

/**
 * The access token and its scheme: `Bearer`, or `DPoP` for a token bound to a key (RFC 9449).
 * @param {Req} req @returns {{ scheme: string, token: string } | null}
 */
export function accessToken(req) {
  const [, scheme, token] = /^(Bearer|DPoP) +(\S+)$/i.exec(req.headers.authorization ?? '') ?? [];
  return scheme && token ? { scheme, token } : null;
}

/**
 * Adds CORS headers for allowed origins only, and answers preflight requests.
 * Credentials are allowed, so the origin is echoed, never `*`.
 * @param {Req} req @param {Res} res @param {readonly string[]} allowedOrigins
 * @param {readonly string[]} [extraHeaders] request headers to allow besides Authorization and Content-Type
 * @returns {boolean} true when the request was a preflight and is answered
 */
export function handleCors(req, res, allowedOrigins, extraHeaders = []) {
  const origin = req.headers.origin;
  const allowed = origin !== undefined && allowedOrigins.includes(origin);
  res.setHeader('Vary', 'Origin'); // the answer depends on Origin; keep caches honest
  if (allowed) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate, DPoP-Nonce, Retry-After');
  }
  if (req.method !== 'OPTIONS') return false;
  if (allowed) {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
    res.setHeader('Access-Control-Allow-Headers', ['Authorization', 'Content-Type', ...extraHeaders].join(', '));
    res.setHeader('Access-Control-Max-Age', '600');
  }
  res.writeHead(204).end();
  return true;
}
