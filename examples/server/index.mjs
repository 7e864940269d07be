// Puts the auth app (and optionally a static SPA) on a real HTTP port.
import { createServer } from 'node:http';
import { createAuthApp } from './auth-server.mjs';
import { createStaticHandler } from './static-files.mjs';

export { createAuthApp, DEMO_USER } from './auth-server.mjs';

/** Paths the auth app owns; everything else may be the SPA. */
const APP_PATHS = /^\/(?:auth|api)(?:\/|$)|^\/__/;

/**
 * @param {import('./auth-server.mjs').AuthAppOptions & { port?: number, host?: string, staticDir?: string }} [options]
 *   port default 4000 (0 picks a free one), host default 127.0.0.1, staticDir: serve this directory at /
 */
export async function startServer(options = {}) {
  const { port = 4000, host = '127.0.0.1', staticDir, ...appOptions } = options;
  const app = createAuthApp(appOptions);
  const serveStatic = staticDir ? createStaticHandler(staticDir) : undefined;
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    void (serveStatic && isRead && !APP_PATHS.test(pathname) ? serveStatic(req, res) : app.handle(req, res));
  });
  await app.ready;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  return {
    url,
    port: address.port,
    app,
    stats: app.stats,
    /** Stops listening and drops keep-alive connections, so the process can exit. */
    close: () =>
      /** @type {Promise<void>} */ (new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
