#!/usr/bin/env node
// `npm run check:readme`: the ts, tsx and vue code blocks of README.md and of every page in docs/,
// extracted to files and type-checked by vue-tsc (strict, against src/) in one program together
// with the demo apps. A block tied to a demo file must equal that file once its lines marked
// `demo-only` are dropped, so the getting-started pages are the code the demos run.
// The blocks of one docs folder share a folder, so a page may import another page's named block.
//
// Directives, in an HTML comment on the line before a block's fence:
//   <!-- readme-check: file=react/App.tsx demo=examples/react-spa/src/App.tsx -->
//     `file` names the block, so other blocks of its folder can import it ('./App');
//     `demo` ties it to a demo file. Both take comma-separated lists (one block, two apps).
//   <!-- readme-check: skip -->  for a block that is not meant to compile.
// Other blocks are modules of their own that may use the names declared in test/readme/prelude.d.ts.
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runIfMain } from '../../examples/server/cli.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const LANGS = new Set(['ts', 'tsx', 'vue']);
/** The demo sources, checked with the pages' blocks. */
export const DEMO_SOURCES = ['examples/react-spa/src', 'examples/vue-spa/src'];

/**
 * @typedef {{ line: number, lang: string, code: string, files: string[], demos: string[], skip: boolean }} Block
 * `line`: the page line of the block's first code line (1-based).
 */

/**
 * The ts, tsx and vue fenced blocks of `markdown`, with their directives.
 * @param {string} markdown
 * @param {string} [name] the page's name, for the error about an unclosed block
 * @returns {Block[]}
 */
export function extractBlocks(markdown, name = 'README.md') {
  const stem = basename(name).replace(/\.md$/, '');
  const lines = markdown.split('\n');
  /** @type {Block[]} */
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(\w*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, fence = '```', lang = ''] = open;
    const end = lines.findIndex((text, j) => j > i && text.trimEnd() === fence);
    if (end < 0) throw new Error(`${name}:${i + 1}: unclosed code block`);
    if (LANGS.has(lang)) {
      const directive = /^<!--\s*readme-check:(.*)-->\s*$/.exec(lines[i - 1] ?? '')?.[1] ?? '';
      const list = (/** @type {string} */ name) => new RegExp(`\\b${name}=(\\S+)`).exec(directive)?.[1]?.split(',') ?? [];
      const line = i + 2;
      blocks.push({
        line,
        lang,
        code: lines.slice(i + 1, end).join('\n'),
        files: list('file').length ? list('file') : [`snippets/${stem}/block-${line}.${lang}`],
        demos: list('demo'),
        skip: /\bskip\b/.test(directive),
      });
    }
    i = end;
  }
  return blocks;
}

/** A demo file as a page shows it: without its `demo-only` lines. */
export const withoutDemoOnly = (source) =>
  source
    .split('\n')
    .filter((line) => !line.includes('demo-only'))
    .join('\n');

const normalise = (code) => code.replace(/[ \t]+$/gm, '').trimEnd();

/** The first line where `block` and `demo` differ, or null when they are the same. */
export function firstDifference(block, demo) {
  const [a, b] = [normalise(block).split('\n'), normalise(demo).split('\n')];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return { line: i, readme: a[i] ?? '(end)', demo: b[i] ?? '(end)' };
  }
  return null;
}

/**
 * Extracts the blocks of `markdown` into `dir`, compares the demo-tied ones, and type-checks them
 * all (with `demos`) in one vue-tsc program.
 * @param {{ markdown: string, dir: string, demos?: string[], readmeName?: string }} options
 * @returns {Promise<{ problems: string[], checked: number }>}
 */
export function checkReadme({ markdown, dir, demos = DEMO_SOURCES, readmeName = 'README.md' }) {
  return checkPages({ pages: [{ name: readmeName, markdown }], dir, demos });
}

/**
 * {@link checkReadme} for several pages at once, type-checked in one vue-tsc program (one start-up,
 * not one a page). The blocks of the pages of one folder share a folder, so a page's block can
 * import another page's (`import { betterAuth } from './better-auth'`); unnamed blocks are named
 * after their page.
 * @param {{ pages: { name: string, markdown: string }[], dir: string, demos?: string[] }} options
 * @returns {Promise<{ problems: string[], checked: number }>}
 */
export async function checkPages({ pages, dir, demos = DEMO_SOURCES }) {
  /** @type {string[]} */
  const problems = [];
  await rm(dir, { recursive: true, force: true });
  // Made here rather than by the first block's file: with every block skipped, tsconfig.json
  // still needs the folder.
  await mkdir(dir, { recursive: true });
  /** Where each extracted file starts: its page and the page's line. @type {Map<string, { page: string, line: number }>} */
  const origin = new Map();
  let checked = 0;
  for (const page of pages) {
    const blocks = extractBlocks(page.markdown, page.name).filter((block) => !block.skip);
    checked += blocks.length;
    const pageDir = join(dir, dirname(page.name));
    for (const block of blocks) {
      // A block without import or export would be a script sharing one global scope with the others.
      const isModule = block.lang === 'vue' || /^\s*(import|export)\b/m.test(block.code);
      for (const name of block.files) {
        const file = join(pageDir, name);
        if (origin.has(file)) problems.push(`${page.name}:${block.line}: a second block named ${name}`);
        origin.set(file, { page: page.name, line: block.line });
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, block.code + (isModule ? '\n' : '\nexport {};\n'));
      }
      for (const path of block.demos) {
        const demo = await readFile(join(root, path), 'utf8').catch(() => null);
        const difference = demo === null ? { line: 0, readme: '', demo: '(no such file)' } : firstDifference(block.code, withoutDemoOnly(demo));
        if (difference) {
          problems.push(
            `${page.name}:${block.line + difference.line}: differs from ${path} (its demo-only lines dropped)\n` +
              `  page: ${difference.readme}\n  demo: ${difference.demo}`,
          );
        }
      }
    }
  }
  const tsconfig = {
    extends: join(root, 'tsconfig.json'),
    compilerOptions: { types: ['node', 'vite/client'], noEmit: true },
    include: [join(dir, '**/*'), join(root, 'test/readme/prelude.d.ts'), ...demos.map((demo) => join(root, demo))],
    vueCompilerOptions: { strictTemplates: true, dataAttributes: ['data-*'] },
  };
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const tsc = spawnSync(join(root, 'node_modules/.bin/vue-tsc'), ['--noEmit', '--pretty', 'false', '-p', join(dir, 'tsconfig.json')], {
    cwd: root,
    encoding: 'utf8',
  });
  if (tsc.error) throw tsc.error;
  // Point at the page's line rather than at the extracted file.
  const output = `${tsc.stdout}${tsc.stderr}`.replace(/^(\S+?)\((\d+),(\d+)\)/gm, (match, path, line, column) => {
    const start = origin.get(join(root, path)) ?? origin.get(path);
    return start === undefined ? match : `${start.page}:${start.line + Number(line) - 1}:${column}`;
  });
  if (tsc.status !== 0) problems.push(output.trim() || `vue-tsc exited with ${tsc.status}`);
  return { problems, checked };
}

/** README.md and every Markdown page under docs/ (VitePress's own folder aside), as repository paths. */
export async function documentedPages() {
  const entries = await readdir(join(root, 'docs'), { recursive: true }).catch(() => []);
  const docs = entries
    .map((entry) => join('docs', entry))
    .filter((path) => path.endsWith('.md') && !path.split(/[\\/]/).includes('.vitepress'))
    .sort();
  return ['README.md', ...docs];
}

async function main() {
  const dir = join(root, 'node_modules/.cache/readme-check');
  const names = await documentedPages();
  const pages = await Promise.all(names.map(async (name) => ({ name, markdown: await readFile(join(root, name), 'utf8') })));
  const { problems, checked } = await checkPages({ pages, dir });
  if (problems.length) {
    console.error(problems.join('\n\n'));
    console.error(
      `\nThe code blocks of README.md and docs/ are type-checked (${relative(root, fileURLToPath(import.meta.url))}). ` +
        'A block may use the names declared in test/readme/prelude.d.ts, or be marked <!-- readme-check: skip -->.',
    );
    process.exit(1);
  }
  console.log(`README.md and ${names.length - 1} docs pages: ${checked} code blocks type-check, and those tied to the demos match them.`);
}

runIfMain(import.meta.url, main);
