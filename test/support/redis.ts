// Test suites that need a real Redis. They start their own redis-server; when it is not installed
// they skip locally with a visible message, and fail under CI=true, where skipping would hide a gap.
import { afterAll, beforeAll, describe } from 'vitest';
import { redisMissingMessage, redisServerMissing, startRedisServer, type RedisServer } from './redis-server.mjs';

const skip = redisServerMissing && !process.env['CI'];
if (skip) console.warn(`SKIPPING the Redis tests: ${redisMissingMessage}`);

/**
 * A `describe` whose tests get a fresh redis-server (started before, stopped after).
 * Under CI=true a missing redis-server fails the suite with {@link redisMissingMessage}.
 */
export function describeWithRedis(name: string, body: (redis: () => RedisServer) => void, options: { timeout?: number } = {}): void {
  describe.skipIf(skip)(name, options, () => {
    let server: RedisServer | undefined;
    beforeAll(async () => {
      server = await startRedisServer();
    });
    afterAll(() => server?.stop());
    body(() => {
      if (!server) throw new Error('redis-server did not start');
      return server;
    });
  });
}
