import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer as createViteServer, type ViteDevServer } from 'vite';
import { DEMO_USER, startServer, type RunningServer } from '../../examples/server/index.mjs';
import { extractBlocks } from '../readme/check.mjs';
import { button, heading, poll, signIn } from './demo-driver';
import { describeEngine, engine, type Browser, type Tab } from './engines';

// Issue 20: "a fresh React app built from the getting-started page alone signs in, reloads and calls
// an API without edits". The page's code blocks (docs/getting-started/react.md) become a Vite app,
// as a reader would paste them into `npm create vite -- --template react-ts`, served by Vite with
// the page's own vite.config.ts. Two things differ from a reader's machine: the proxy points at a
// test server's port instead of 4000, and `tokenkeeper` is the built package (dist/), as in the demos.
const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository, so the app resolves react, react-router and vite from its node_modules.
const app = join(root, 'node_modules/.cache/getting-started-react');
/** The index.html of Vite's react-ts template, minus its favicon and title. */
const indexHtml = '<!doctype html>\n<html lang="en">\n  <body>\n    <div id="root"></div>\n    <script type="module" src="/src/main.tsx"></script>\n  </body>\n</html>\n';

/** Writes the page's blocks where their names say (`react/src/App.tsx` → `<app>/src/App.tsx`). */
async function writeApp() {
  await rm(app, { recursive: true, force: true });
  const page = await readFile(join(root, 'docs/getting-started/react.md'), 'utf8');
  const files = extractBlocks(page, 'docs/getting-started/react.md').flatMap((block) =>
    block.files.filter((name) => name.startsWith('react/')).map((name) => ({ path: join(app, name.slice('react/'.length)), code: block.code })),
  );
  for (const { path, code } of files) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${code}\n`);
  }
  await writeFile(join(app, 'index.html'), indexHtml);
  return files.map(({ path }) => path.slice(app.length + 1)).sort();
}

const pageSays = (tab: Tab, text: string) => tab.waitFor((wanted) => document.body.textContent?.includes(wanted), text, poll);

describeEngine('the getting-started page as a fresh React app', () => {
  let browser: Browser;
  let auth: RunningServer;
  let vite: ViteDevServer;
  let url: string;

  beforeAll(async () => {
    expect(await writeApp()).toEqual(['src/AccountPage.tsx', 'src/App.tsx', 'src/LoginPage.tsx', 'src/MfaStep.tsx', 'src/auth.ts', 'src/main.tsx', 'vite.config.ts']);
    auth = await startServer({ port: 0, accessTokenTtl: 600 });
    const target = `http://127.0.0.1:${auth.port}`;
    vite = await createViteServer({
      configFile: join(app, 'vite.config.ts'),
      root: app,
      logLevel: 'silent',
      resolve: {
        alias: [
          { find: /^tokenkeeper$/, replacement: join(root, 'dist/index.js') },
          { find: /^tokenkeeper\/react$/, replacement: join(root, 'dist/react.js') },
        ],
      },
      server: { port: 0, host: '127.0.0.1', proxy: { '/auth': target, '/api': target }, watch: null },
    });
    await vite.listen();
    url = `http://localhost:${(vite.httpServer!.address() as { port: number }).port}`;
    browser = await engine.launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await vite?.close();
    await auth?.close();
  });

  it('signs in, calls GET /api/me, stays signed in across a reload, and logs out', async () => {
    const context = await browser.newContext();
    try {
      const tab = await context.newTab(`${url}/`);
      await signIn(tab); // the first visit's restore found no cookie: the guard sent us to /login
      await pageSays(tab, `The API knows you as ${DEMO_USER.email}.`);
      await tab.waitForElement(heading(`Hello, ${DEMO_USER.name}`));
      expect(await tab.url()).toBe(`${url}/account`);

      await tab.reload();
      await pageSays(tab, `The API knows you as ${DEMO_USER.email}.`);
      expect(auth.stats.meRequests).toBe(2);

      await tab.click(button('Log out'));
      await tab.waitForElement(heading('Sign in'));
      expect(await tab.errors()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
