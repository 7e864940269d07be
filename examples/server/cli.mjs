// Small helpers shared by the command-line entry points (server/main.mjs, ../start.mjs).
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A number from the environment, or `fallback` when unset; throws a readable error when invalid.
 * @param {string} name @param {number} fallback @param {number} [min]
 */
export function numberFromEnv(name, fallback, min = 1) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number >= ${min}, got "${raw}"`);
  return value;
}

/** Closes `server` and exits cleanly on Ctrl+C or a termination signal. @param {{ close(): Promise<void> }} server */
export function closeOnSignals(server) {
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.once(signal, async () => {
      await server.close();
      process.exit(0);
    });
  }
}

/**
 * Runs `main` only when `moduleUrl` is the script Node was started with, so tests can import the
 * module's exports without starting anything. Errors print as one line and exit 1.
 * @param {string} moduleUrl `import.meta.url` of the caller @param {() => Promise<void>} main
 */
export function runIfMain(moduleUrl, main) {
  if (!process.argv[1] || realpathSync(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
