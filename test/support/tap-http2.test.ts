// @vitest-environment node
// The tap (test/e2e/tap.ts) in front of an HTTP/1.1 server, speaking HTTP/2 to its clients, as
// the tabs benchmark serves browsers: what it forwards, what it records, and what it drops.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type ClientHttp2Session } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTap, type Tap } from '../e2e/tap';
import { devCertificate } from '../e2e/tls';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request on an HTTP/2 session; a reset stream rejects. */
function h2Request(session: ClientHttp2Session, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': path, ...headers });
    let body = '';
    let head: IncomingHttpHeaders = {};
    stream.on('response', (received) => (head = received));
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (body += chunk));
    stream.on('end', () => (head[':status'] === undefined ? reject(new Error('no answer')) : resolve({ status: Number(head[':status']), headers: head, body })));
    stream.on('error', reject);
    stream.on('close', () => (stream.rstCode ? reject(new Error(`stream reset: ${stream.rstCode}`)) : undefined));
    stream.end();
  });
}

describe('the tap over HTTP/2', () => {
  let upstream: Server;
  let tap: Tap;
  let session: ClientHttp2Session;

  beforeEach(async () => {
    // Answers with what it was sent, and with the connection headers HTTP/1.1 servers send.
    upstream = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', Connection: 'keep-alive', 'Keep-Alive': 'timeout=5', 'Set-Cookie': 'tk_refresh=r1; Secure; HttpOnly' });
      res.end(JSON.stringify({ host: req.headers.host, cookie: req.headers.cookie, pseudo: Object.keys(req.headers).filter((name) => name.startsWith(':')) }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    tap = await startTap((upstream.address() as AddressInfo).port, { tls: devCertificate(), http2: true });
    session = connect(tap.url, { rejectUnauthorized: false });
  });

  afterEach(async () => {
    session.destroy();
    await tap.close();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('forwards :authority as Host and no pseudo-headers, strips connection headers from the answer, and records the request', async () => {
    const answer = await h2Request(session, '/api/me', { cookie: 'tk_refresh=r0' });

    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ host: new URL(tap.url).host, cookie: 'tk_refresh=r0', pseudo: [] });
    expect(answer.headers['connection']).toBeUndefined();
    expect(answer.headers['set-cookie']).toEqual(['tk_refresh=r1; Secure; HttpOnly']);
    expect(tap.seen).toHaveLength(1);
    expect(tap.seen[0]).toMatchObject({ path: '/api/me', httpVersion: '2.0', status: 200, setCookie: ['tk_refresh=r1; Secure; HttpOnly'] });
    expect(tap.seen[0]!.headers.host).toBe(new URL(tap.url).host);
    expect(tap.seen[0]!.answeredAt).toBeGreaterThanOrEqual(tap.seen[0]!.receivedAt);
    expect(tap.seen[0]!.finishedAt).toBeGreaterThanOrEqual(tap.seen[0]!.answeredAt!);
  });

  it('still answers a client that speaks only HTTP/1.1', async () => {
    const answer = await new Promise<Answer>((resolve, reject) => {
      const req = httpsRequest(`${tap.url}/api/me`, { rejectUnauthorized: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });

    expect(answer.status).toBe(200);
    expect(tap.seen[0]).toMatchObject({ path: '/api/me', httpVersion: '1.1' });
  });

  it('drops one request by resetting its stream, while the others on the same connection are answered', async () => {
    tap.intercept('/auth/refresh-token', 'drop');

    const [dropped, kept] = await Promise.allSettled([h2Request(session, '/auth/refresh-token'), h2Request(session, '/api/me')]);

    expect(dropped.status).toBe('rejected');
    expect(kept).toMatchObject({ status: 'fulfilled', value: { status: 200 } });
    expect(session.destroyed).toBe(false);
  });

  it('answers a rule of its own with its status', async () => {
    tap.intercept('/api/me', { status: 503 });

    expect((await h2Request(session, '/api/me')).status).toBe(503);
    expect(tap.seen[0]).toMatchObject({ path: '/api/me', status: 503, httpVersion: '2.0' });
  });

  it('close() ends open HTTP/2 connections rather than waiting for them', async () => {
    await h2Request(session, '/api/me');
    const ended = new Promise<void>((resolve) => session.once('close', () => resolve()));

    await tap.close();

    await ended; // the suite's timeout is the bound: a close that waited for the client would hang here
    expect(session.closed || session.destroyed).toBe(true);
  });

  it('refuses HTTP/2 without https, as browsers only speak it over TLS', async () => {
    await expect(startTap(1, { http2: true })).rejects.toThrow(/http2 needs tls/);
  });
});
