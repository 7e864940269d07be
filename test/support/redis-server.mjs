// Starts a throwaway redis-server (Debian's package) on a free loopback port, in a temp dir,
// with persistence off; for tests and the refresh benchmark. Nothing assumes a Redis already running.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const redisServerPath = process.env.REDIS_SERVER_PATH || '/usr/bin/redis-server';
export const redisServerMissing = !existsSync(redisServerPath);
export const redisMissingMessage =
  `redis-server not found at ${redisServerPath}: install it (apt-get install -y redis-server) or set REDIS_SERVER_PATH`;

/** A port that was free a moment ago. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    });
  });
}

/** @param {import('node:child_process').ChildProcess} child */
function waitUntilReady(child, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`redis-server not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const fail = (/** @type {Error} */ error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.off('exit', onExit);
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        resolve(undefined);
      }
    });
    const onExit = (/** @type {number | null} */ code) => fail(new Error(`redis-server exited with ${code}:\n${output}`));
    child.once('exit', onExit);
  });
}

/**
 * @returns {Promise<{ url: string, port: number, stop(): Promise<void> }>}
 */
export async function startRedisServer() {
  if (redisServerMissing) throw new Error(redisMissingMessage);
  const dir = await mkdtemp(join(tmpdir(), 'tk-redis-'));
  // Another process may take the port between probe and bind: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      redisServerPath,
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await waitUntilReady(child);
    } catch (error) {
      if (attempt < 3) continue;
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      async stop() {
        child.kill('SIGTERM');
        await exited;
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
}
