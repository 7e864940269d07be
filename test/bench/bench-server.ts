import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal local API for benchmarks: login and refresh hand out opaque tokens, `/api/data`
 * answers 200 to any of them. Deliberately trivial, so timings measure the client, not a server.
 * A token call with a `DPoP` header gets `token_type: 'DPoP'` (the proof is not checked: that is the
 * server's cost, not the client's); `pages` are served as HTML or JS at their path.
 */
export async function startBenchServer(pages: Record<string, string> = {}) {
  let issued = 0;
  const stats = { refreshes: 0 };
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    req.resume();
    req.on('end', () => {
      if (req.url === '/auth/login' || req.url === '/auth/refresh-token') {
        if (req.url === '/auth/refresh-token') stats.refreshes++;
        const dpop = req.headers.dpop ? { token_type: 'DPoP' } : {};
        return send(200, { accessToken: `tok-${++issued}`, expiresIn: 3600, ...dpop });
      }
      if (req.url === '/api/data') {
        return /^(Bearer|DPoP) tok-/.test(req.headers.authorization ?? '') ? send(200, { ok: true }) : send(401, { error: 'invalid_token' });
      }
      const page = pages[req.url ?? ''];
      if (page !== undefined) {
        res.writeHead(200, { 'Content-Type': req.url!.endsWith('.js') ? 'text/javascript' : 'text/html' });
        return res.end(page);
      }
      send(404, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stats,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
