// @vitest-environment node
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Server-side rendering imports the SDK in Node. Proven in a child process, as an app would run it:
// no browser global touched at import, and no timer that keeps Node from exiting, even signed in.
const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
let dir = '';

const script = `
const touched = [];
for (const name of ['window', 'document', 'localStorage', 'sessionStorage', 'indexedDB', 'location']) {
  Object.defineProperty(globalThis, name, { configurable: true, get() { touched.push(name); return undefined; } });
}
// msw feature-detects localStorage when it loads; that is msw's, so load it before measuring ours.
const { setupServer } = await import('msw/node');
touched.length = 0;
const { createAuthClient } = await import('./core.mjs');
const { createAuthServer } = await import('./mock.mjs');
const importedTouched = [...touched];
const authServer = createAuthServer({ baseUrl: 'https://api.example.com', users: [{ email: 'a@example.com', password: 'password-123' }] });
setupServer(...authServer.handlers).listen();
const auth = createAuthClient({ baseUrl: 'https://api.example.com' });
await auth.login({ email: 'a@example.com', password: 'password-123' });
const res = await auth.authFetch('https://api.example.com/me');
console.log(JSON.stringify({ importedTouched, status: auth.getState().status, me: res.status }));
// No dispose(): the proactive refresh timer is armed, and Node must still exit on its own.
`;

beforeAll(async () => {
  // Inside node_modules so the child resolves 'msw' as an app would.
  await mkdir(join(root, 'node_modules/.cache'), { recursive: true });
  dir = await mkdtemp(join(root, 'node_modules/.cache/ssr-'));
  const bundle = (entry: string, outfile: string) =>
    build({ entryPoints: [join(root, entry)], outfile: join(dir, outfile), bundle: true, format: 'esm', platform: 'node', external: ['msw'], logLevel: 'silent' });
  await Promise.all([bundle('src/index.ts', 'core.mjs'), bundle('src/msw/index.ts', 'mock.mjs')]);
  await writeFile(join(dir, 'main.mjs'), script);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('in Node (server-side rendering)', () => {
  it('imports without touching browser globals and lets the process exit while signed in', async () => {
    const { stdout } = await run(process.execPath, [join(dir, 'main.mjs')], {
      timeout: 15_000, // a timer that kept Node alive would make this run hit the limit and fail
      cwd: root,
    });
    expect(JSON.parse(stdout.trim())).toEqual({ importedTouched: [], status: 'authenticated', me: 200 });
  });
});
