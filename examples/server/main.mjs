#!/usr/bin/env node
// CLI: `node examples/server/main.mjs`. Configuration comes from the environment (see README.md).
import { closeOnSignals, numberFromEnv, runIfMain } from './cli.mjs';
import { DEMO_USER, startServer } from './index.mjs';
import { parseOrigins } from './origins.mjs';

export { startServer };

async function main() {
  const jwtAlg = process.env.JWT_ALG || 'HS256';
  if (jwtAlg !== 'HS256' && jwtAlg !== 'ES256') throw new Error(`JWT_ALG must be HS256 or ES256, got "${jwtAlg}"`);
  const secret = process.env.JWT_SECRET || undefined;
  const privateKey = process.env.JWT_PRIVATE_KEY || undefined;
  const redisUrl = process.env.REDIS_URL || undefined;
  const { origins, warnings } = parseOrigins(process.env.SPA_ORIGINS);
  const log = process.env.AUTH_LOG === '0' ? undefined : (/** @type {string} */ line) => console.log(line);
  const crossSite = process.env.CROSS_SITE === '1';
  const dpop = process.env.DPOP === '0' ? false : { requireNonce: process.env.DPOP_NONCE === '1' };
  const server = await startServer({
    port: numberFromEnv('PORT', 4000, 0),
    host: process.env.HOST || '127.0.0.1',
    accessTokenTtl: numberFromEnv('ACCESS_TOKEN_TTL', 60),
    refreshTokenTtl: numberFromEnv('REFRESH_TOKEN_TTL', 86400),
    reuseInterval: numberFromEnv('REUSE_INTERVAL', 10, 0),
    limits: {
      passwordsPerAccount: numberFromEnv('LIMIT_PASSWORDS_PER_ACCOUNT', 10),
      passwordsPerAddress: numberFromEnv('LIMIT_PASSWORDS_PER_ADDRESS', 100),
      codesPerAccount: numberFromEnv('LIMIT_CODES_PER_ACCOUNT', 5),
      window: numberFromEnv('LIMIT_WINDOW', 900),
    },
    allowedOrigins: origins,
    crossSite,
    dpop,
    jwtAlg,
    ...(log ? { log } : {}),
    // The demo user's password is printed below anyway; its codes let a person try 2FA without a phone.
    logDemoTotp: process.env.DEMO_TOTP_LOG !== '0',
    ...(process.env.STATIC_DIR ? { staticDir: process.env.STATIC_DIR } : {}),
    ...(secret ? { secret } : {}),
    ...(privateKey ? { privateKey } : {}),
    ...(redisUrl ? { redisUrl } : {}),
  });
  const { alg, kid, generated } = server.app.signingKey;
  console.log(`store: ${redisUrl ? 'Redis (shared by every instance on the same REDIS_URL)' : 'memory (this process only)'}; tokens: ${alg}, kid ${kid}`);
  if (generated) {
    const variable = alg === 'ES256' ? 'JWT_PRIVATE_KEY (make one: node examples/server/generate-key.mjs)' : 'JWT_SECRET';
    console.warn(`warning: ${variable} not set: using a key generated for this process, so its tokens die with it` +
      (redisUrl ? ' and the other instances reject them' : ''));
  }
  for (const warning of warnings) console.warn(`warning: ${warning}`);
  if (origins.length) console.log(`SPA origins allowed to call with credentials: ${origins.join(', ')}`);
  if (crossSite) {
    console.log('cross-site mode: refresh cookie SameSite=None; Secure; Partitioned; the SPA gets its CSRF token from ' +
      'GET /auth/csrf and sends it back in X-CSRF-Token on login, register, refresh, logout, mfa/verify and sessions');
  }
  // Last, so whoever waits for this line (tests, scripts) has seen the lines above.
  console.log(`tokenkeeper example auth server on ${server.browserUrl}`);
  console.log(`demo user: ${DEMO_USER.email} / ${DEMO_USER.password}`);

  closeOnSignals(server);
}

// Start only when run directly, so tests can import startServer from here too.
runIfMain(import.meta.url, main);
