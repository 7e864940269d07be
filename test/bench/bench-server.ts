import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal local API for benchmarks: login and refresh hand out opaque tokens, `/api/data`
 * answers 200 to any of them. Deliberately trivial, so timings measure the client, not a server.
 */
export async function startBenchServer() {
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
        return send(200, { accessToken: `tok-${++issued}`, expiresIn: 3600 });
      }
      if (req.url === '/api/data') {
        return req.headers.authorization?.startsWith('Bearer tok-') ? send(200, { ok: true }) : send(401, { error: 'invalid_token' });
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
