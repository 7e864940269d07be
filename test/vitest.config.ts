import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  resolve: {
    // Tests import the public entry points by name, as users do, but run against src/.
    alias: [
      { find: /^tokenkeeper$/, replacement: `${root}src/index.ts` },
      { find: /^tokenkeeper\/(.*)$/, replacement: `${root}src/$1` },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'happy-dom',
    environmentOptions: { happyDOM: { url: 'https://app.example.com/' } },
    restoreMocks: true,
    unstubGlobals: true,
    testTimeout: 10_000,
    // expect.poll's default 1 s is short on a loaded machine (two suites at once on 2 cores); a
    // poll that fails is one that waits for what never comes, so waiting longer costs only then.
    expect: { poll: { timeout: 5_000 } },
  },
});
