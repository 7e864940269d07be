import { createServer, request as forward, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A request as it reached the server: what the browser really sent, whichever engine sent it. */
export interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The answer's status, and its `Set-Cookie` lines (empty for a request the tap answered itself). */
  status: number;
  setCookie: string[];
  /** `performance.now()` in this process when the request arrived, and when its answer's head came back. */
  receivedAt: number;
  answeredAt?: number;
}

/**
 * What the tap does to the requests whose path is `path`, until the rule is removed: hold each for
 * `delayMs` (one the page aborts meanwhile is dropped), answer `status` itself, or drop the connection.
 */
export type Rule = { delayMs: number } | { status: number } | 'drop';

export interface Tap {
  /** `http://localhost:<port>` (a secure context, and the name a developer opens), or the `host` and scheme asked for. */
  url: string;
  port: number;
  seen: Seen[];
  /** Applies `rule` to every request for `path` until the returned function is called. */
  intercept(path: string, rule: Rule): () => void;
  close(): Promise<void>;
}

/**
 * A transparent proxy in front of a server on 127.0.0.1:`port` (the Host header passes unchanged,
 * so origin checks and DPoP's `htu` see the tap's address). It does in Node what Playwright's
 * `page.route` and request events did in Chromium alone: record requests, and hold, fail or drop
 * some, in every engine alike.
 */
export async function startTap(
  port: number,
  options: { host?: string; tls?: { key: string; cert: string }; upstreamHost?: string } = {},
): Promise<Tap> {
  const { host = '127.0.0.1', tls, upstreamHost = '127.0.0.1' } = options;
  const seen: Seen[] = [];
  const rules = new Map<string, Rule>();
  const handle: RequestListener = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const record: Seen = { method: req.method ?? 'GET', path, headers: req.headers, status: 0, setCookie: [], receivedAt: performance.now() };
    if (req.method !== 'OPTIONS') seen.push(record);
    const rule = rules.get(path);
    if (rule === 'drop') return void req.socket.destroy();
    if (rule && 'status' in rule) {
      record.status = rule.status;
      res.writeHead(rule.status, { 'Content-Type': 'application/json' }).end('{}');
      return;
    }
    const send = () => {
      const upstream = forward({ host: upstreamHost, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        record.status = answer.statusCode ?? 0;
        record.answeredAt = performance.now();
        record.setCookie = answer.headers['set-cookie'] ?? [];
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (!rule) return send();
    // Held as in the browser: a request its page gave up on meanwhile never reaches the server.
    let gone = false;
    res.once('close', () => (gone = true));
    setTimeout(() => (gone ? undefined : send()), rule.delayMs);
  };
  const server = tls ? createTlsServer(tls, handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const tapPort = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://${host === '127.0.0.1' ? 'localhost' : host}:${tapPort}`,
    port: tapPort,
    seen,
    intercept(path, rule) {
      rules.set(path, rule);
      return () => rules.delete(path);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The value of cookie `name` in a request's Cookie header, or `undefined`. */
export const cookieSent = (request: Seen, name: string) =>
  (request.headers.cookie ?? '')
    .split(/; */)
    .map((pair) => pair.split('='))
    .find(([key]) => key === name)?.[1];

/** The last request for `path` that reached `tap`. */
export function lastSeen(tap: Tap, path: string): Seen {
  const found = tap.seen.filter((request) => request.path === path).at(-1);
  if (!found) throw new Error(`no request for ${path} reached the server`);
  return found;
}
