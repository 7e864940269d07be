// Raw HTTP calls to example server instances for the second-factor and device tests, and the
// two setups they run against: one instance on the memory store, and two instances sharing a
// Redis store (every other call goes to the other one, as behind a load balancer).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { createRedisStore, startServer, type AuthStore, type RunningServer, type StartServerOptions } from '../examples/server/index.mjs';
import type { RedisServer } from './support/redis-server.mjs';

/** The start of a 30-second TOTP step. */
export const START = Date.parse('2030-01-01T00:00:00Z');

export interface CallOptions {
  token?: string | undefined;
  cookie?: string | undefined;
  body?: unknown;
  userAgent?: string;
}

export function call(server: { url: string }, method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const { token, cookie, body, userAgent } = options;
  return fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(cookie ? { Cookie: cookie } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(userAgent ? { 'User-Agent': userAgent } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

/** `tk_refresh=<token>` as the browser sends it back, or `''`. */
export const cookieOf = (res: Response): string =>
  res.headers.getSetCookie().find((c) => c.startsWith('tk_refresh='))?.split(';')[0] ?? '';

export interface Session {
  cookie: string;
  token: string;
  user: { id: string; email: string; name: string };
}

/** A session from a 200 (or 201) login, register or MFA answer. */
export async function sessionOf(res: Response): Promise<Session> {
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  const body = (await res.json()) as { accessToken: string; user: Session['user'] };
  return { cookie: cookieOf(res), token: body.accessToken, user: body.user };
}

export const login = (server: { url: string }, email: string, password: string, userAgent?: string) =>
  call(server, 'POST', '/auth/login', { body: { email, password }, ...(userAgent ? { userAgent } : {}) });

export const refresh = (server: { url: string }, cookie: string) => call(server, 'POST', '/auth/refresh-token', { cookie });

/** Two handles on the servers under test (the same one in memory) and their clock. */
export interface Servers {
  a: RunningServer;
  b: RunningServer;
  clock: { now: number };
}

/**
 * Starts the servers before the file's tests and stops them after; the clock is back at
 * {@link START} before each test. With `redis`, two instances share one Redis store (a fresh
 * key prefix per file) and one HS256 secret.
 */
export function useServers(redis?: () => RedisServer, options: StartServerOptions = {}): Servers {
  const servers = { clock: { now: START } } as Servers;
  const stores: AuthStore[] = [];
  beforeAll(async () => {
    const now = () => servers.clock.now;
    const base = { port: 0, secret: 'shared-secret-of-both-instances', ...options, now };
    if (!redis) {
      servers.a = servers.b = await startServer(base);
      return;
    }
    const prefix = `test-${randomUUID()}:`;
    stores.push(...(await Promise.all([0, 1].map(() => createRedisStore({ url: redis().url, prefix })))));
    const [a, b] = await Promise.all(stores.map((store) => startServer({ ...base, store })));
    Object.assign(servers, { a, b });
  });
  beforeEach(() => {
    servers.clock.now = START;
  });
  afterAll(async () => {
    await Promise.all([...new Set([servers.a, servers.b])].map((server) => server?.close()));
    await Promise.all(stores.map((store) => store.close()));
  });
  return servers;
}
