#!/usr/bin/env node
// CLI: `node examples/server/main.mjs`. Configuration comes from the environment (see README.md).
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO_USER, startServer } from './index.mjs';

export { startServer };

/** @param {string} name @param {number} fallback @param {number} min */
function numberFromEnv(name, fallback, min = 1) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number >= ${min}, got "${raw}"`);
  return value;
}

async function main() {
  const secret = process.env.JWT_SECRET || undefined;
  const server = await startServer({
    port: numberFromEnv('PORT', 4000, 0),
    host: process.env.HOST || '127.0.0.1',
    accessTokenTtl: numberFromEnv('ACCESS_TOKEN_TTL', 60),
    refreshTokenTtl: numberFromEnv('REFRESH_TOKEN_TTL', 86400),
    reuseInterval: numberFromEnv('REUSE_INTERVAL', 10, 0),
    allowedOrigins: (process.env.SPA_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
    ...(process.env.STATIC_DIR ? { staticDir: process.env.STATIC_DIR } : {}),
    ...(secret ? { secret } : {}),
  });
  console.log(`tokenkeeper example auth server on ${server.url}`);
  console.log(`demo user: ${DEMO_USER.email} / ${DEMO_USER.password}`);
  if (!secret) console.log('JWT_SECRET not set: using a random key, so tokens do not survive a restart');

  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.once(signal, async () => {
      await server.close();
      process.exit(0);
    });
  }
}

// Start only when run directly, so tests can import startServer from here too.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
