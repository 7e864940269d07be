#!/usr/bin/env node
// Runs test/bench/tabs.ts (see there) under plain node: esbuild compiles it and the worker it starts
// (tabs-servers.ts) next to themselves (.tabs-<pid>.mjs, .tabs-servers-<pid>.mjs: the relative paths
// inside them still hold), with packages and the .mjs files they import left as they are; then it
// runs, and both are removed.
//   npm run bench:tabs      (builds dist/ first: the pages load the built bundle)
import { rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const built = (name) => resolve(here, `.${name}-${process.pid}.mjs`);
/** Plain JavaScript modules are imported where they are, so their own relative paths still hold. */
const keepMjs = {
  name: 'keep-mjs',
  setup(builder) {
    builder.onResolve({ filter: /\.mjs$/ }, (args) => ({ path: resolve(args.resolveDir, args.path), external: true }));
  },
};
await build({
  entryPoints: [resolve(here, 'tabs.ts'), resolve(here, 'tabs-servers.ts')],
  outdir: here,
  entryNames: `.[name]-${process.pid}`,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  plugins: [keepMjs],
  logLevel: 'warning',
});
try {
  await import(pathToFileURL(built('tabs')).href);
} finally {
  await Promise.all(['tabs', 'tabs-servers'].map((name) => rm(built(name), { force: true })));
}
