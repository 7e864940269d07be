// Pairs of example server processes on one Redis, configured alike (one ES256 key), stopped after each test.
import { generateKeyPairSync } from 'node:crypto';
import { afterEach } from 'vitest';
import type { RedisServer } from './redis-server.mjs';
import { startServerProcess, type ServerProcess } from './server-process.mjs';

const privateKey = JSON.stringify(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }));

/** Call inside a `describeWithRedis` body. */
export function useInstances(redis: () => RedisServer) {
  const running: ServerProcess[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.stop()));
  });
  // Each test its own Redis database (0-15), so what one test leaves does not help the next.
  let database = 0;
  return {
    newDatabase: () => ++database,
    /** Two instances on one Redis database (a new one unless `db` is given). */
    async pair(env: Record<string, string> = {}, db = ++database): Promise<[ServerProcess, ServerProcess]> {
      const config = { REDIS_URL: `${redis().url}/${db}`, JWT_ALG: 'ES256', JWT_PRIVATE_KEY: privateKey, ...env };
      const servers = await Promise.all([startServerProcess(config), startServerProcess(config)]);
      running.push(...servers);
      return servers;
    },
  };
}
