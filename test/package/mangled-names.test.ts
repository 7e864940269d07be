// @vitest-environment node
// The build shortens internal property names that end in `_` (tsup.config.ts). A public type that
// named one would promise a property the published code does not have; and if the build stopped
// shortening them, every app would carry them in full.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dist = new URL('../../dist/', import.meta.url);
const built = existsSync(new URL('index.js', dist));
/** A property or identifier that ends in `_`, as the internal convention writes them. */
const INTERNAL_NAME = /\b[A-Za-z][A-Za-z0-9]*[A-Za-z0-9]_\b/g;
const files = (suffix: string) => (built ? readdirSync(dist).filter((name) => name.endsWith(suffix)) : []);
const read = (name: string) => readFileSync(new URL(name, dist), 'utf8');

describe.skipIf(!built)('internal names in dist (as published; run npm run build first)', () => {
  it('no public type names one', () => {
    const declarations = [...files('.d.ts'), ...files('.d.cts')];
    expect(declarations).toContain('index.d.ts');
    for (const name of declarations) expect(read(name).match(INTERNAL_NAME), name).toBeNull();
  });

  it('the code ships none in full, in ESM and in CommonJS', () => {
    const code = [...files('.js'), ...files('.cjs')];
    expect(code).toEqual(expect.arrayContaining(['index.js', 'index.cjs']));
    for (const name of code) expect(read(name).match(INTERNAL_NAME), name).toBeNull();
  });
});

it('the sources do use the convention (or the checks above prove nothing)', () => {
  const client = readFileSync(new URL('../../src/client.ts', import.meta.url), 'utf8');
  expect(client.match(INTERNAL_NAME)).not.toBeNull();
});
