#!/usr/bin/env node
// `npm start`: builds what is missing or stale (the library, then the React and Vue demos with
// Vite), then serves both next to the example auth server on one origin:
// React at http://localhost:4000/, Vue at http://localhost:4000/vue/.
// Environment: PORT (default 4000, 0 picks a free one), HOST (default 127.0.0.1),
// ACCESS_TOKEN_TTL (seconds, default 30 so that a silent refresh shows up soon), AUTH_LOG=0 (quiet).
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeOnSignals, numberFromEnv, runIfMain } from './server/cli.mjs';
import { DEMO_USER, startServer } from './server/index.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = fileURLToPath(new URL('.', import.meta.url));
/** What the server serves: the React build, with the Vue build in its `vue/` folder. */
export const demoDir = join(examples, '.demo-dist/react');

const mtime = (/** @type {string} */ path) => stat(path).then((info) => info.mtimeMs, () => undefined);

/** Newest modification time of the files under `dir`. */
async function newest(/** @type {string} */ dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const times = await Promise.all(entries.filter((e) => e.isFile()).map((e) => mtime(join(e.parentPath ?? e.path, e.name))));
  return Math.max(0, ...times.map((t) => t ?? 0));
}

/** True when dist/ lacks an entry the demos use, or is older than the sources it is built from. */
async function libraryIsStale() {
  const built = await Promise.all(['index.js', 'react.js', 'vue.js'].map((file) => mtime(join(root, 'dist', file))));
  if (built.some((time) => time === undefined)) return true;
  const sources = Math.max(
    await newest(join(root, 'src')),
    ...(await Promise.all(['package.json', 'tsup.config.ts'].map(async (file) => (await mtime(join(root, file))) ?? 0))),
  );
  return Math.min(.../** @type {number[]} */ (built)) < sources;
}

function run(/** @type {string} */ command, /** @type {string[]} */ args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(undefined) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/**
 * Builds the library when dist/ is missing or stale (`npm run build`), then both demos with Vite,
 * React first: its build empties the folder the Vue build goes into.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<string>} the directory to serve
 */
export async function buildDemo({ log = console.log } = {}) {
  if (await libraryIsStale()) {
    log('Building the library (dist/ is missing or older than src/)…');
    await run('npm', ['run', '--silent', 'build']);
  }
  const { build } = await import('vite');
  for (const [name, folder] of [['React', 'react-spa'], ['Vue', 'vue-spa']]) {
    log(`Building the ${name} demo…`);
    await build({ configFile: join(examples, folder, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  }
  return demoDir;
}

/**
 * Starts the example auth server, serving the built demos.
 * @param {import('./server/index.mjs').StartServerOptions} [options] `accessTokenTtl` defaults to 30
 *   seconds here, `port` to 4000
 */
export async function startDemo(options = {}) {
  const { port = 4000, accessTokenTtl = 30, ...rest } = options;
  const server = await startServer({ ...rest, port, accessTokenTtl, staticDir: demoDir });
  // "localhost", not 127.0.0.1, in what people open: the Vite dev server is on localhost too, and
  // the server leaves Secure off for plain-http loopback pages (WebKit drops it there).
  return { ...server, url: `http://localhost:${server.port}` };
}

async function main() {
  const started = performance.now();
  const port = numberFromEnv('PORT', 4000, 0);
  const accessTokenTtl = numberFromEnv('ACCESS_TOKEN_TTL', 30, 1);
  await buildDemo();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  let server;
  try {
    // One line per auth call (AUTH_LOG=0: none), and the demo user's current 2FA code whenever the
    // server asks for one, so two-factor can be tried without a phone.
    const log = process.env.AUTH_LOG === '0' ? {} : { log: (/** @type {string} */ line) => console.log(line), logDemoTotp: true };
    server = await startDemo({ port, accessTokenTtl, host: process.env.HOST || '127.0.0.1', ...log });
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EADDRINUSE') throw error;
    throw new Error(`Port ${port} is in use. Try: PORT=${port + 1} npm start`);
  }
  console.log(`
tokenkeeper demo, built in ${seconds} s
  React  ${server.url}/
  Vue    ${server.url}/vue/
  Sign in as ${DEMO_USER.email} / ${DEMO_USER.password}: /account is guarded, and the login page
  brings you back to it. Reload: the session (and the same user) comes back from the cookie.
  Access tokens live ${accessTokenTtl} s (ACCESS_TOKEN_TTL): watch the event log for silent refreshes,
  and "Expire access token now" for the 401 → refresh → replay story.
  Open a second tab and log out in one: both sign out. The account page turns two-factor on (this
  log prints the current code), lists the signed-in devices, and ?idle=<seconds> in the URL (e.g.
  /account?idle=30) signs you out after that long without activity in any tab. Ctrl+C stops the server.
`);
  closeOnSignals(server);
}

// Run only when executed directly (`node examples/start.mjs`), so tests can import buildDemo/startDemo.
runIfMain(import.meta.url, main);
