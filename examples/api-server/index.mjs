// An API server that trusts the auth server's access tokens without ever calling it per request:
// it checks each token's ES256 signature against the public keys at the auth server's
// /.well-known/jwks.json, fetched once and cached by jose (and fetched again when a token names
// a key it has not seen, which is how a key rotation reaches it).
import { createServer } from 'node:http';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { HttpError, bearerToken, handleCors, sendJson } from '../server/http.mjs';

/** jose's codes for a key set that could not be fetched or read (the rest are about the token). */
const KEY_SET_ERRORS = new Set(['ERR_JOSE_GENERIC', 'ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

/**
 * @param {object} options
 * @param {string | URL} options.jwksUrl the auth server's `/.well-known/jwks.json`
 * @param {number} [options.port] default 4001, 0 picks a free one
 * @param {string} [options.host] default 127.0.0.1
 * @param {readonly string[]} [options.allowedOrigins] SPA origins that get CORS headers
 */
export async function startApiServer({ jwksUrl, port = 4001, host = '127.0.0.1', allowedOrigins = [] }) {
  const keys = createRemoteJWKSet(new URL(jwksUrl));
  const stats = { authorized: 0, rejected: 0 };

  /** @param {import('node:http').IncomingMessage} req */
  async function authenticate(req) {
    const token = bearerToken(req);
    try {
      if (!token) throw new errors.JWTInvalid('no bearer token');
      // Pinned to ES256: a token cannot pick HS256 (or "none") to be checked with a public key.
      const { payload } = await jwtVerify(token, keys, { algorithms: ['ES256'] });
      stats.authorized++;
      return payload;
    } catch (error) {
      // The key set could not be fetched: our problem, not the token's, so no 401 (which would
      // make the client refresh and retry in vain).
      if (!(error instanceof errors.JOSEError) || KEY_SET_ERRORS.has(error.code)) {
        throw new HttpError(503, 'jwks_unavailable', {}, { 'Retry-After': '5' });
      }
      stats.rejected++;
      throw new HttpError(401, 'invalid_token', {}, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    }
  }

  const server = createServer(async (req, res) => {
    try {
      if (handleCors(req, res, allowedOrigins)) return;
      const { pathname } = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && pathname === '/api/hello') {
        const claims = await authenticate(req);
        return sendJson(res, 200, { message: `Hello, ${claims['name'] ?? claims.sub}`, sub: claims.sub, email: claims['email'] });
      }
      if (req.method === 'GET' && pathname === '/__stats') return sendJson(res, 200, stats);
      throw new HttpError(404, 'not_found');
    } catch (error) {
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.code }, error.headers);
      console.error(error);
      sendJson(res, 500, { error: 'server_error' });
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    stats,
    close: () =>
      /** @type {Promise<void>} */ (new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
