// The two setups the example server's second-factor and device tests run against: one instance
// on the memory store, and two instances sharing a Redis store (every other call goes to the
// other one, as behind a load balancer). Their raw HTTP calls are in ./http.mjs.
import { randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { createRedisStore, startServer, type AuthStore, type RunningServer, type StartServerOptions } from '../../examples/server/index.mjs';
import type { RedisServer } from '../support/redis-server.mjs';
import { call, login, sessionOf, type Session } from './http.mjs';

/** The start of a 30-second TOTP step. */
export const START = Date.parse('2030-01-01T00:00:00Z');

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

/** The code an authenticator app shows for `secret` at `at`. */
export const codeAt = (secret: string, at: number): string =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: at });
export const otherThan = (code: string): string => (code === '000000' ? '111111' : '000000');

/** Users of `servers` with and without a second factor, made on instance a, and their calls. */
export function mfaUsers(servers: Servers) {
  const { clock } = servers;
  const code = (secret: string) => codeAt(secret, clock.now);

  /** A new user, signed in on instance a. */
  async function newUser(): Promise<Session & { email: string; password: string }> {
    const email = `u-${randomUUID()}@example.com`;
    const password = 'long-enough';
    const session = await sessionOf(await call(servers.a, 'POST', '/auth/register', { body: { email, password } }));
    return { ...session, email, password };
  }

  /** A new user with a confirmed second factor; the clock moved on past the confirming code's window. */
  async function enrolledUser() {
    const user = await newUser();
    const enrolled = await call(servers.a, 'POST', '/auth/mfa/enroll', { token: user.token });
    const { secret } = (await enrolled.json()) as { secret: string };
    expect((await call(servers.b, 'POST', '/auth/mfa/confirm', { token: user.token, body: { code: code(secret) } })).status).toBe(204);
    clock.now += 60_000;
    return { ...user, secret };
  }

  /** A login challenge (`mfaToken`) of a user with a second factor, from instance a. */
  async function challenge(user: { email: string; password: string }): Promise<string> {
    const res = await login(servers.a, user.email, user.password);
    expect(res.status).toBe(401);
    return ((await res.json()) as { mfaToken: string }).mfaToken;
  }
  const verify = (body: unknown, on = servers.b) => call(on, 'POST', '/auth/mfa/verify', { body });

  return { code, newUser, enrolledUser, challenge, verify };
}
