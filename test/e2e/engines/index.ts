import { describe } from 'vitest';
import { LABELS, MISSING } from './installed.mjs';
import type { Browser, Engine, EngineName } from './types';

export type { Browser, Context, Engine, EngineName, Tab, Target } from './types';

/** Each engine's driver module is loaded only by the files of its own project. */
const DRIVERS: Record<EngineName, () => Promise<Browser>> = {
  chromium: async () => (await import('./chromium')).chromiumEngine.launch(),
  firefox: async () => (await import('./firefox')).firefoxEngine.launch(),
  webkit: async () => (await import('./webkit')).webkitEngine.launch(),
};

const name = (process.env['E2E_ENGINE'] ?? 'chromium') as EngineName;

/** The engine of this vitest project (test/e2e/vitest.config.ts sets `E2E_ENGINE`). */
export const engine: Engine = { name, label: LABELS[name], missing: MISSING[name], launch: DRIVERS[name] };

/**
 * `describe`, named with the engine, and skipped when the engine is not installed here (the
 * config has already said so, and fails the run instead under `CI=true`).
 */
export const describeEngine = (title: string, body: () => void) =>
  describe.skipIf(engine.missing() !== undefined)(`${title} [${engine.label}]`, body);

/** `value` in this engine, `otherwise` in the others: for the differences the README's engine table lists. */
export const inEngine = <T>(values: Partial<Record<EngineName, T>>, otherwise: T): T => values[engine.name] ?? otherwise;
