#!/usr/bin/env node
// What each module adds to an app that already has the core: size-limit measures core + module
// (entries named `tokenkeeper + <module>`) and the core alone, but cannot subtract. The budget of a
// module is its entry's limit minus the core's. Run after `npm run build`; exits 1 over budget.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CORE = 'tokenkeeper (core)';
const root = fileURLToPath(new URL('..', import.meta.url));
const run = spawnSync('npx', ['size-limit', '--json'], { cwd: root, encoding: 'utf8' });
/** @type {Array<{ name: string, size: number, sizeLimit?: number }>} */
const results = JSON.parse(run.stdout || '[]');
const core = results.find((result) => result.name === CORE);
const combined = results.filter((result) => result.name.startsWith('tokenkeeper + '));
if (!core?.sizeLimit || combined.length === 0) {
  console.error(`module-sizes: size-limit gave no "${CORE}" with a limit or no "tokenkeeper + …" entry\n${run.stderr}`);
  process.exit(1);
}
const bytes = (n) => `${n.toLocaleString('en')} B`;
let over = false;
for (const { name, size, sizeLimit = Infinity } of combined) {
  const module = name.slice('tokenkeeper + '.length);
  const added = size - core.size;
  const budget = sizeLimit - core.sizeLimit;
  const ok = added <= budget;
  over ||= !ok;
  console.log(`${ok ? 'ok  ' : 'OVER'} ${module}: adds ${bytes(added)} of ${bytes(budget)} (core + module ${bytes(size)}, core ${bytes(core.size)})`);
}
process.exit(over ? 1 : 0);
