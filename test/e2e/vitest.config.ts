import { defineConfig } from 'vitest/config';
import { ENGINE_NAMES, LABELS, MISSING } from './engines/installed.mjs';

// One project per engine: every browser test runs in Chromium, Firefox ESR and WebKitGTK, and the
// report names the engine (the project, and the test's top describe). `--project webkit` runs one.
// An engine that is not installed is skipped with how to install it; under CI=true it fails the run.
const missing = ENGINE_NAMES.flatMap((name) => {
  const why = MISSING[name]();
  return why ? [`${LABELS[name]}: ${why}`] : [];
});
if (missing.length > 0) {
  if (process.env['CI'] === 'true') throw new Error(`browser engines missing in CI:\n  ${missing.join('\n  ')}`);
  // Once, though vitest reads this file again for every project.
  const told = globalThis as { tokenkeeperEnginesTold?: boolean };
  if (!told.tokenkeeperEnginesTold) for (const line of missing) console.warn(`skipping the browser tests in ${line}`);
  told.tokenkeeperEnginesTold = true;
}

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One browser at a time: the machine has two cores.
    fileParallelism: false,
    // Once per run: the demos' build, and each engine, which the test files connect to.
    globalSetup: ['test/e2e/build-demos.ts', 'test/e2e/start-engines.ts'],
    projects: ENGINE_NAMES.map((name) => ({
      extends: true,
      test: {
        name,
        include: ['test/e2e/**/*.test.ts'],
        env: { E2E_ENGINE: name },
      },
    })),
  },
});
