// @vitest-environment node
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPages, checkReadme, extractBlocks, firstDifference, withoutDemoOnly } from './check.mjs';

// The README check (npm run check:readme) fails on what it exists to catch: a block that does not
// type-check, and a Quick start that drifted from the demo app.
const cache = fileURLToPath(new URL('../../node_modules/.cache/', import.meta.url));
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));
const fence = '```';

describe('the README check', () => {
  it('extracts ts, tsx and vue blocks with their directives, and skips the others', () => {
    const markdown = [
      '# Title',
      `${fence}sh`,
      'npm install',
      fence,
      '<!-- readme-check: file=react/auth.ts,vue/auth.ts demo=examples/a.ts,examples/b.ts -->',
      `${fence}ts`,
      'export const a = 1;',
      fence,
      '<!-- readme-check: skip -->',
      `${fence}tsx`,
      'broken(',
      fence,
      `${fence}vue`,
      '<template><p /></template>',
      fence,
    ].join('\n');
    expect(extractBlocks(markdown)).toEqual([
      { line: 7, lang: 'ts', code: 'export const a = 1;', files: ['react/auth.ts', 'vue/auth.ts'], demos: ['examples/a.ts', 'examples/b.ts'], skip: false },
      { line: 11, lang: 'tsx', code: 'broken(', files: ['snippets/README/block-11.tsx'], demos: [], skip: true },
      { line: 14, lang: 'vue', code: '<template><p /></template>', files: ['snippets/README/block-14.vue'], demos: [], skip: false },
    ]);
  });

  it('compares a block with its demo file without the demo-only lines', () => {
    const demo = "import { a } from './a';\nimport { log } from './log'; // demo-only\nexport const b = a;\nlog(b); // demo-only\n";
    expect(withoutDemoOnly(demo)).toBe("import { a } from './a';\nexport const b = a;\n");
    expect(firstDifference("import { a } from './a';\nexport const b = a;", withoutDemoOnly(demo))).toBeNull();
    expect(firstDifference("import { a } from './a';\nexport const b = a + 1;", withoutDemoOnly(demo))).toEqual({
      line: 1,
      readme: 'export const b = a + 1;',
      demo: 'export const b = a;',
    });
  });

  it('reports a type error at its README line, and a block that drifted from its demo file', async () => {
    // A fresh clone has no node_modules/.cache until something makes it; do not rely on
    // `npm run check:readme` or another test having run first.
    await mkdir(cache, { recursive: true });
    const dir = await mkdtemp(join(cache, 'readme-check-test-'));
    dirs.push(dir);
    const markdown = [
      '# Title',
      '',
      '<!-- readme-check: file=app/auth.ts demo=examples/react-spa/src/auth.ts -->',
      `${fence}ts`,
      "import { createAuthClient } from 'tokenkeeper';",
      "export const auth = createAuthClient({ baseUrl: '/' });",
      fence,
      '',
      '<!-- readme-check: file=app/page.ts -->',
      `${fence}ts`,
      "import { auth } from './auth';",
      'auth.getState().user?.name.toUpperCase();',
      'auth.logOut();',
      fence,
    ].join('\n');
    const { problems, checked } = await checkReadme({ markdown, dir, demos: [], readmeName: 'TEST.md' });
    expect(checked).toBe(2);
    expect(problems[0]).toMatch(/^TEST\.md:6: differs from examples\/react-spa\/src\/auth\.ts/);
    const tsc = problems.slice(1).join('\n');
    expect(tsc).toMatch(/TEST\.md:12:\d+: error TS\d+: .*of type 'unknown'/);
    expect(tsc).toMatch(/TEST\.md:13:\d+: error TS2551: Property 'logOut' does not exist/);
  }, 60_000);
});

describe('the check over several pages', () => {
  it('lets a page import a named block of another page of its folder, and keeps each page\'s lines', async () => {
    await mkdir(cache, { recursive: true });
    const dir = await mkdtemp(join(cache, 'readme-check-pages-'));
    dirs.push(dir);
    const recipe = ['# A recipe', '', '<!-- readme-check: file=recipe.ts -->', `${fence}ts`, 'export const recipe = { timeout: 5000 };', fence].join('\n');
    const usage = [
      '# Using it',
      '',
      '<!-- readme-check: file=usage.ts -->',
      `${fence}ts`,
      "import { createAuthClient } from 'tokenkeeper';",
      "import { recipe } from './recipe';",
      "createAuthClient({ baseUrl: '/', ...recipe });",
      fence,
      '',
      `${fence}ts`,
      "export const port: number = 'four thousand';",
      fence,
    ].join('\n');
    // An unnamed block of the same line number in another folder must not collide with this one.
    const other = ['# Other', '', '', `${fence}ts`, 'export const fine = 1;', fence].join('\n');
    const { problems, checked } = await checkPages({
      pages: [
        { name: 'docs/recipes/recipe.md', markdown: recipe },
        { name: 'docs/recipes/usage.md', markdown: usage },
        { name: 'docs/other.md', markdown: other },
      ],
      dir,
      demos: [],
    });
    expect(checked).toBe(4);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/docs\/recipes\/usage\.md:11:\d+: error TS2322: Type 'string' is not assignable to type 'number'/);
    expect(problems[0]).not.toMatch(/recipe\.md|other\.md/);
  }, 60_000);
});
