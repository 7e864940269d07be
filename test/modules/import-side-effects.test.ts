// @vitest-environment node
// Importing a module touches no browser global and starts no timer (server-side rendering imports
// them in Node): each module, bundled as an app would, runs in a fresh context whose browser globals
// and timers record every access.
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const WATCHED = [
  'window',
  'document',
  'navigator',
  'location',
  'localStorage',
  'sessionStorage',
  'BroadcastChannel',
  'setTimeout',
  'setInterval',
  'queueMicrotask',
  'addEventListener',
  'fetch',
];

describe.each(['sessions', 'idle'])('importing tokenkeeper/%s', (module) => {
  it('touches no browser global and starts no timer', async () => {
    const { outputFiles } = await build({
      entryPoints: [`${root}src/${module}.ts`],
      bundle: true,
      format: 'cjs',
      platform: 'neutral',
      write: false,
      logLevel: 'silent',
    });
    const touched: string[] = [];
    const context: Record<string, unknown> = { module: { exports: {} } };
    for (const name of WATCHED) {
      Object.defineProperty(context, name, { get: () => void touched.push(name), enumerable: true });
    }
    runInNewContext(`${outputFiles[0]!.text}\nthis.exported = module.exports;`, context);

    expect(touched).toEqual([]);
    expect(Object.keys(context['exported'] as object).length).toBeGreaterThan(0);
  });
});
