import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root,
  resolve: {
    alias: [{ find: /^tokenkeeper$/, replacement: `${root}src/index.ts` }],
  },
  test: {
    environment: 'node',
    benchmark: { include: ['test/bench/**/*.bench.ts'] },
    // One fork, GC exposed: the memory figure needs global.gc, and timings should not share cores.
    pool: 'forks',
    fileParallelism: false,
    execArgv: ['--expose-gc'],
  },
});
