// Puts the auth app (and optionally a static SPA) on a real HTTP port.
import { createServer } from 'node:http';
import { createAuthApp } from './auth-server.mjs';
import { browserUrl } from './origins.mjs';
import { createStaticHandler } from './static-files.mjs';
import { createStore } from './stores/index.mjs';

export { createAuthApp, DEMO_USER } from './auth-server.mjs';
export { createMemoryStore, createRedisStore, createStore } from './stores/index.mjs';

/** Paths the auth app owns; everything else may be the SPA. */
const APP_PATHS = /^\/(?:auth|api)(?:\/|$)|^\/__|^\/\.well-known\/jwks\.json$/;

/**
 * @param {import('./auth-server.mjs').AuthAppOptions & { port?: number, host?: string, staticDir?: string, redisUrl?: string }} [options]
 *   port default 4000 (0 picks a free one), host default 127.0.0.1, staticDir: serve this directory at /,
 *   redisUrl: keep users and sessions in that Redis (a store made here is closed by close())
 */
export async function startServer(options = {}) {
  const { port = 4000, host = '127.0.0.1', staticDir, redisUrl, ...appOptions } = options;
  const ownStore = appOptions.store ? undefined : await createStore({ redisUrl, ...(appOptions.now ? { now: appOptions.now } : {}) });
  const app = createAuthApp({ ...appOptions, ...(ownStore ? { store: ownStore } : {}) });
  const serveStatic = staticDir ? createStaticHandler(staticDir) : undefined;
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    void (serveStatic && isRead && !APP_PATHS.test(pathname) ? serveStatic(req, res) : app.handle(req, res));
  });
  try {
    await app.ready;
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(undefined));
    });
  } catch (error) {
    await ownStore?.close();
    throw error;
  }
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  return {
    url,
    browserUrl: browserUrl(host, address.port),
    port: address.port,
    app,
    stats: app.stats,
    /** Stops listening, drops keep-alive connections and closes the store it made, so the process can exit. */
    close: async () => {
      await /** @type {Promise<void>} */ (new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }));
      await ownStore?.close();
    },
  };
}
