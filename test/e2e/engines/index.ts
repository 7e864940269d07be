import { describe } from 'vitest';
import { chromiumEngine } from './chromium';
import { firefoxEngine } from './firefox';
import type { Engine, EngineName } from './types';
import { webkitEngine } from './webkit';

export type { Browser, Context, Engine, EngineName, Tab, Target } from './types';

export const ENGINES: Record<EngineName, Engine> = { chromium: chromiumEngine, firefox: firefoxEngine, webkit: webkitEngine };

/** The engine of this vitest project (test/e2e/vitest.config.ts sets `E2E_ENGINE`). */
export const engine: Engine = ENGINES[(process.env['E2E_ENGINE'] ?? 'chromium') as EngineName] ?? chromiumEngine;

/**
 * `describe`, named with the engine, and skipped when the engine is not installed here (the
 * config has already said so, and fails the run instead under `CI=true`).
 */
export const describeEngine = (name: string, body: () => void) =>
  describe.skipIf(engine.missing() !== undefined)(`${name} [${engine.label}]`, body);

/** `value` in this engine, `otherwise` in the others: for the differences the README's engine table lists. */
export const inEngine = <T>(values: Partial<Record<EngineName, T>>, otherwise: T): T => values[engine.name] ?? otherwise;
