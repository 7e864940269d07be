import { createServer, request as forward, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { constants as http2, createSecureServer, Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** A request as it reached the server: what the browser really sent, whichever engine sent it. */
export interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The HTTP version the browser spoke: `'2.0'` or `'1.1'`. */
  httpVersion: string;
  /** The answer's status, and its `Set-Cookie` lines (empty for a request the tap answered itself). */
  status: number;
  setCookie: string[];
  /** `performance.now()` in this process when the request arrived, and when its answer's head came back. */
  receivedAt: number;
  answeredAt?: number;
  /** When the answer's last byte was handed to the connection (a head on time and a body held back differ here). */
  finishedAt?: number;
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

/** Connection-specific headers: an HTTP/1.1 answer has them, HTTP/2 forbids them. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** A request's headers as the HTTP/1.1 server behind expects them: HTTP/2's `:authority` is its Host. */
function forUpstream(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const plain: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!name.startsWith(':')) plain[name] = value;
  const authority = headers[':authority'];
  if (plain.host === undefined && typeof authority === 'string') plain.host = authority;
  return plain;
}

/** An HTTP/1.1 answer's headers, fit to send over HTTP/2. */
const forHttp2 = (headers: IncomingHttpHeaders): IncomingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));

export interface TapOptions {
  /** The address to listen on; default 127.0.0.1 (the URL then says `localhost`). */
  host?: string;
  /** Listen on https with this key and certificate (tls.ts makes one). */
  tls?: { key: string; cert: string };
  /**
   * With `tls`: speak HTTP/2 to browsers that offer it (ALPN), HTTP/1.1 to the others, as a real
   * deployment's front does. The server behind stays on HTTP/1.1.
   */
  http2?: boolean;
  /** The address of the server behind; default 127.0.0.1. */
  upstreamHost?: string;
}

/**
 * A transparent proxy in front of a server on 127.0.0.1:`port` (the Host header passes unchanged,
 * so origin checks and DPoP's `htu` see the tap's address). It does in Node what Playwright's
 * `page.route` and request events did in Chromium alone: record requests, and hold, fail or drop
 * some, in every engine alike.
 */
export async function startTap(port: number, options: TapOptions = {}): Promise<Tap> {
  const { host = '127.0.0.1', tls, http2: useHttp2 = false, upstreamHost = '127.0.0.1' } = options;
  if (useHttp2 && !tls) throw new Error('startTap: http2 needs tls (browsers speak HTTP/2 only over https)');
  const seen: Seen[] = [];
  const rules = new Map<string, Rule>();
  const handle = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    const overHttp2 = req instanceof Http2ServerRequest;
    const headers = forUpstream(req.headers);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const record: Seen = { method: req.method ?? 'GET', path, headers, httpVersion: req.httpVersion, status: 0, setCookie: [], receivedAt: performance.now() };
    if (req.method !== 'OPTIONS') seen.push(record);
    res.once('finish', () => (record.finishedAt = performance.now()));
    const rule = rules.get(path);
    // HTTP/2 carries other requests on the same connection: reset this request's stream alone.
    if (rule === 'drop') return void (overHttp2 ? req.stream.close(http2.NGHTTP2_INTERNAL_ERROR) : req.socket.destroy());
    if (rule && 'status' in rule) {
      record.status = rule.status;
      res.writeHead(rule.status, { 'Content-Type': 'application/json' }).end('{}');
      return;
    }
    const send = () => {
      const upstream = forward({ host: upstreamHost, port, method: req.method, path: req.url, headers }, (answer) => {
        record.status = answer.statusCode ?? 0;
        record.answeredAt = performance.now();
        record.setCookie = answer.headers['set-cookie'] ?? [];
        res.writeHead(answer.statusCode ?? 502, overHttp2 ? forHttp2(answer.headers) : answer.headers);
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
  const server = useHttp2 && tls ? createSecureServer({ ...tls, allowHTTP1: true }, handle) : tls ? createTlsServer(tls, handle) : createServer(handle);
  // Every connection, to end them all at close (HTTP/2's server has no closeAllConnections).
  const connections = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
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
        for (const socket of connections) socket.destroy();
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
