// @vitest-environment node
// An app that imports only the core carries none of the modules' code: bundle `createAuthClient`
// alone, as an app's bundler would (minified, tree-shaken), and look for strings only the modules
// have. The same bundle with a module imported must contain them, or the markers would prove nothing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Strings that survive minification and appear in one module only. */
const MARKERS: Record<string, string[]> = {
  sessions: ['sessions: unexpected answer', 'lastUsedAt', 'DELETE'],
  idle: ['tokenkeeper:idle', 'pointermove', 'warning'],
};

async function bundle(entries: Record<string, string>, from: 'src' | 'dist'): Promise<string> {
  // Re-exported, so nothing the app "uses" is shaken away.
  const contents = Object.entries(entries)
    .map(([name, names]) => `export ${names} from './${from}/${name}.${from === 'src' ? 'ts' : 'js'}';`)
    .join('\n');
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    external: ['jwt-decode'],
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe.each([
  ['src', true],
  ['dist (as published; run npm run build first)', existsSync(`${root}dist/index.js`)],
] as const)('an app that imports only the core, from %s', (label, available) => {
  const from = label === 'src' ? 'src' : 'dist';

  it.skipIf(!available).each(Object.entries(MARKERS))('carries none of tokenkeeper/%s', async (module, markers) => {
    const core = await bundle({ index: '{ createAuthClient }' }, from);
    const withModule = await bundle({ index: '{ createAuthClient }', [module]: `{ ${exportsOf[module]} }` }, from);
    for (const marker of markers) {
      expect(withModule, `${marker} in core + ${module}`).toContain(marker);
      expect(core, `${marker} in the core alone`).not.toContain(marker);
    }
  });
});

const exportsOf: Record<string, string> = {
  sessions: 'listSessions, revokeSession',
  idle: 'createIdleTimeout',
};
