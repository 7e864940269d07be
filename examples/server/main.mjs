#!/usr/bin/env node
// CLI: `node examples/server/main.mjs`. Configuration comes from the environment (see README.md).
import { closeOnSignals, numberFromEnv, runIfMain } from './cli.mjs';
import { DEMO_USER, startServer } from './index.mjs';

export { startServer };

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

  closeOnSignals(server);
}

// Start only when run directly, so tests can import startServer from here too.
runIfMain(import.meta.url, main);
