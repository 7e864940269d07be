#!/usr/bin/env node
// CLI: `JWKS_URL=http://127.0.0.1:4000/.well-known/jwks.json node examples/api-server/main.mjs`.
import { closeOnSignals, numberFromEnv, runIfMain } from '../server/cli.mjs';
import { startApiServer } from './index.mjs';

async function main() {
  const jwksUrl = process.env.JWKS_URL || 'http://127.0.0.1:4000/.well-known/jwks.json';
  const server = await startApiServer({
    jwksUrl,
    port: numberFromEnv('PORT', 4001, 0),
    host: process.env.HOST || '127.0.0.1',
    allowedOrigins: (process.env.SPA_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
  });
  console.log(`tokenkeeper example API server on ${server.url}: GET /api/hello with an ES256 access token (DPoP-bound ones need their proof)`);
  console.log(`keys from ${jwksUrl} (the auth server must run with JWT_ALG=ES256)`);
  closeOnSignals(server);
}

runIfMain(import.meta.url, main);
