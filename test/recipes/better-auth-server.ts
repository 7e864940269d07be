// A real better-auth server (memory adapter, JWT plugin) on loopback, with the app's own API beside
// it: GET /api/orders trusts a JWT that the JWKS at /api/auth/jwks verifies.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { betterAuth } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import { toNodeHandler } from 'better-auth/node';
import { jwt } from 'better-auth/plugins/jwt';
import { createRemoteJWKSet, jwtVerify } from 'jose';

export interface BetterAuthServer {
  url: string;
  /** better-auth's tables, as its memory adapter keeps them. */
  db: { user: unknown[]; session: unknown[]; account: unknown[]; verification: unknown[]; jwks: unknown[] };
  /** The status of every GET /api/auth/token. */
  tokenStatuses: number[];
  /** The app API's policy: refuse JWTs older than this many seconds (a resource server may). */
  api: { maxTokenAge: number | undefined };
  close(): Promise<void>;
}

export async function startBetterAuth(trustedOrigin: string): Promise<BetterAuthServer> {
  const db: BetterAuthServer['db'] = { user: [], session: [], account: [], verification: [], jwks: [] };
  const tokenStatuses: number[] = [];
  const api: BetterAuthServer['api'] = { maxTokenAge: undefined };
  let handle: ReturnType<typeof toNodeHandler> = () => Promise.resolve();
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  let url = '';

  const server = createServer((req, res) => {
    if (req.url?.startsWith('/api/auth/')) {
      if (req.url === '/api/auth/token' && req.method === 'GET') res.on('finish', () => tokenStatuses.push(res.statusCode));
      void handle(req, res);
      return;
    }
    void (async () => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      try {
        const { payload } = await jwtVerify(token, jwks, { issuer: url, audience: url, ...(api.maxTokenAge ? { maxTokenAge: api.maxTokenAge } : {}) });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ orders: [], email: payload['email'] }));
      } catch {
        res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' }).end('{"error":"invalid_token"}');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  jwks = createRemoteJWKSet(new URL(`${url}/api/auth/jwks`));

  const auth = betterAuth({
    baseURL: url,
    secret: randomBytes(32).toString('hex'),
    database: memoryAdapter(db),
    emailAndPassword: { enabled: true },
    plugins: [jwt()],
    trustedOrigins: [trustedOrigin],
    telemetry: { enabled: false },
    logger: { disabled: true },
  });
  handle = toNodeHandler(auth);

  return {
    url,
    db,
    tokenStatuses,
    api,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
