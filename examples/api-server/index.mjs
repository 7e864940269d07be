// An API server that trusts the auth server's access tokens without ever calling it per request:
// it checks each token's ES256 signature against the public keys at the auth server's
// /.well-known/jwks.json, fetched once and cached by jose (and fetched again when a token names
// a key it has not seen, which is how a key rotation reaches it). A token bound to a DPoP key
// (`cnf.jkt`) counts only with a proof by that key, checked by the auth server's own code.
import { createServer } from 'node:http';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { createDpop } from '../server/dpop.mjs';
import { HttpError, accessToken, handleCors, sendJson } from '../server/http.mjs';
import { createJtiCache } from './jti-cache.mjs';

/** jose's codes for a key set that could not be fetched or read (the rest are about the token). */
const KEY_SET_ERRORS = new Set(['ERR_JOSE_GENERIC', 'ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

/**
 * @param {object} options
 * @param {string | URL} options.jwksUrl the auth server's `/.well-known/jwks.json`
 * @param {number} [options.port] default 4001, 0 picks a free one
 * @param {string} [options.host] default 127.0.0.1
 * @param {readonly string[]} [options.allowedOrigins] SPA origins that get CORS headers
 * @param {{ iatWindow?: number, origins?: readonly string[] }} [options.dpop] how DPoP proofs are
 *   checked (see the auth server's `DpopOptions`); nonces are not asked for
 */
export async function startApiServer({ jwksUrl, port = 4001, host = '127.0.0.1', allowedOrigins = [], dpop: dpopOptions = {} }) {
  const keys = createRemoteJWKSet(new URL(jwksUrl));
  const stats = { authorized: 0, rejected: 0 };
  const dpop = createDpop({
    // Spent jtis in this process only: enough for one instance; several behind a balancer need a
    // shared store (the auth server's Redis store has the same `useOnce`), or a proof could be
    // replayed once on each.
    store: createJtiCache(),
    now: Date.now,
    // The key only derives nonces, which this server does not require.
    key: () => {
      throw new Error('the API server asks for no DPoP nonce');
    },
    options: { iatWindow: dpopOptions.iatWindow, origins: dpopOptions.origins, requireNonce: false },
  });

  /** @param {import('node:http').IncomingMessage} req @param {string} pathname */
  async function authenticate(req, pathname) {
    const presented = accessToken(req);
    const payload = await verifyToken(presented?.token);
    const jkt = /** @type {{ jkt?: unknown } | undefined} */ (payload['cnf'])?.jkt;
    // RFC 9449 §7: a bound token needs the DPoP scheme and a proof by its key (for this request
    // and this token); the DPoP scheme needs a bound token. Unbound tokens stay plain bearers.
    if (jkt !== undefined || presented?.scheme.toLowerCase() !== 'bearer') {
      try {
        await dpop.resourceRequest(req, pathname, /** @type {{ scheme: string, token: string }} */ (presented), jkt);
      } catch (error) {
        if (error instanceof HttpError) stats.rejected++;
        throw error;
      }
    }
    stats.authorized++;
    return payload;
  }

  /** The token's claims, if the key set vouches for it. @param {string | undefined} token */
  async function verifyToken(token) {
    try {
      if (!token) throw new errors.JWTInvalid('no access token');
      // Pinned to ES256: a token cannot pick HS256 (or "none") to be checked with a public key.
      return (await jwtVerify(token, keys, { algorithms: ['ES256'] })).payload;
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
      if (handleCors(req, res, allowedOrigins, ['DPoP'])) return;
      const { pathname } = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && pathname === '/api/hello') {
        const claims = await authenticate(req, pathname);
        return sendJson(res, 200, { message: `Hello, ${claims['name'] ?? claims.sub}`, sub: claims.sub, email: claims['email'] });
      }
      if (req.method === 'GET' && pathname === '/__stats') return sendJson(res, 200, stats);
      throw new HttpError(404, 'not_found');
    } catch (error) {
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.code, ...error.extra }, error.headers);
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
