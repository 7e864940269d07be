// Serves built single-page apps, so SPA and API share one origin in a demo.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';

const TYPES = /** @type {Record<string, string>} */ ({
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8',
});

const fileInfo = (/** @type {string} */ path) => stat(path).then((info) => (info.isFile() ? info : null), () => null);

/**
 * @param {string} dir
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<void>}
 */
export function createStaticHandler(dir) {
  const root = resolve(dir);
  return async function serveStatic(req, res) {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return void res.writeHead(400).end();
    }
    const requested = resolve(root, `.${pathname}`);
    // Never serve anything outside the directory (`/../etc/passwd`).
    if (requested !== root && !requested.startsWith(root + sep)) return void res.writeHead(404).end();
    let file = requested;
    let info = (await fileInfo(file)) ?? (await fileInfo((file = join(requested, 'index.html'))));
    // Client-side routes get the app shell of the nearest folder that has one: `/settings` gets
    // `/index.html`, `/vue/settings` gets `/vue/index.html` when an app was built there (Vite
    // `base: '/vue/'`). The walk starts inside the root and stops at it. A missing asset
    // (`/app.js`) stays a 404.
    for (let dir = requested; !info && !extname(pathname) && dir !== root; ) {
      dir = dirname(dir);
      info = await fileInfo((file = join(dir, 'index.html')));
    }
    if (!info) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': info.size, 'Cache-Control': 'no-cache' });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  };
}
