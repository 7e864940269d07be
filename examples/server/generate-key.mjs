#!/usr/bin/env node
// Prints a fresh ES256 private key as a JWK, ready for JWT_PRIVATE_KEY. Give every instance the
// same one; keep it secret (it signs tokens). API servers need only /.well-known/jwks.json.
import { runIfMain } from './cli.mjs';
import { generatePrivateJwk } from './signing-keys.mjs';

runIfMain(import.meta.url, async () => {
  console.log(`JWT_PRIVATE_KEY='${JSON.stringify(generatePrivateJwk())}'`);
});
