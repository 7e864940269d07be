import { buildDemo } from '../../examples/start.mjs';

/**
 * Global setup: the demos are built once for the run (every engine, every file), not once per
 * file and engine. Vitest runs this for each project in one process, hence the shared promise.
 */
export default async function setup() {
  const shared = globalThis as { tokenkeeperDemoBuild?: Promise<unknown> };
  shared.tokenkeeperDemoBuild ??= buildDemo({ log: () => {} });
  await shared.tokenkeeperDemoBuild;
  // Inherited by the test workers, started after this: prepareDemos() need not build again.
  process.env['E2E_DEMO_BUILT'] = '1';
}
