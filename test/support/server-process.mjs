// Runs `node examples/server/main.mjs` as its own process, as an operator would, so tests and the
// refresh benchmark can run several instances, kill one, and restart them.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const mainScript = fileURLToPath(new URL('../../examples/server/main.mjs', import.meta.url));

/**
 * @param {Record<string, string>} env added to this process's environment; PORT defaults to 0
 * @returns {Promise<import('./server-process.d.mts').ServerProcess>}
 */
export async function startServerProcess(env = {}) {
  const child = spawn(process.execPath, [mainScript], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  // 'close', not 'exit': by then everything it printed has been read.
  const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve(signal ?? code)));

  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`server not listening after 10 s:\n${output}`)), 10_000);
    const done = (/** @type {unknown} */ result) => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      result instanceof Error ? reject(result) : resolve(result);
    };
    const onData = () => {
      const match = / on https?:\/\/[^\s:]+:(\d+)/.exec(output);
      if (match) done(Number(match[1]));
    };
    const onExit = (/** @type {number | null} */ code) => done(new Error(`server exited with ${code}:\n${output}`));
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });

  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port: /** @type {number} */ (port),
    pid: /** @type {number} */ (child.pid),
    output: () => output,
    stats: async () => /** @type {Promise<Record<string, number>>} */ ((await fetch(`${url}/__stats`)).json()),
    kill() {
      child.kill('SIGKILL');
      return exited.then(() => undefined);
    },
    stop() {
      child.kill('SIGTERM');
      return exited.then(() => undefined);
    },
  };
}
