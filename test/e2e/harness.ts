import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { startServer, type RunningServer } from '../../examples/server/index.mjs';
import { engine, type Browser, type Context, type Tab } from './engines';
import { startTap, type Tap } from './tap';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A fresh directory holding the built bundle (dist/index.js with jwt-decode) twice: a module at
 * /tokenkeeper.js and a classic script at /tokenkeeper.iife.js (global `tokenkeeper`); and
 * dist/dpop.js as the module /tokenkeeper-dpop.js, sharing its chunks (AuthError) with the first.
 */
export async function bundleClient(): Promise<string> {
  const staticDir = await mkdtemp(join(tmpdir(), 'tokenkeeper-e2e-'));
  const bundle: BuildOptions = { entryPoints: [join(root, 'dist/index.js')], bundle: true, logLevel: 'silent' };
  await build({
    ...bundle,
    entryPoints: { tokenkeeper: join(root, 'dist/index.js'), 'tokenkeeper-dpop': join(root, 'dist/dpop.js') },
    outdir: staticDir,
    splitting: true,
    format: 'esm',
  });
  // A classic script too: a sandboxed frame's opaque origin cannot load a module from the app
  // without CORS on static files, but a classic <script src> needs none.
  await build({ ...bundle, outfile: join(staticDir, 'tokenkeeper.iife.js'), format: 'iife', globalName: 'tokenkeeper' });
  return staticDir;
}

export interface Harness {
  /** The app as the browser sees it: `url` is the tap's `http://localhost:<port>`. */
  app: RunningServer;
  /** Every request the browser sent the app, and a way to hold, fail or drop some. */
  tap: Tap;
  /** A second server on another origin, for requests that must not carry the token. */
  other: RunningServer;
  /** What reached `other`. */
  otherTap: Tap;
  browser: Browser;
  context: Context;
  /** Opens a tab on the app and waits for its restore() to settle. */
  openTab(): Promise<Tab>;
  /** Reloads `tab` and waits for its restore() to settle. */
  reload(tab: Tab): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * The real thing: the example auth server serving a page that loads the built bundle
 * (dist/index.js, bundled with jwt-decode for the browser: /tokenkeeper.js as a module,
 * /tokenkeeper.iife.js as a classic script), and this project's engine with real cookies.
 */
export async function startHarness(
  options: {
    accessTokenTtl?: number;
    /** Seconds a replaced refresh token still rotates; 0: any second presentation is reuse. */
    reuseInterval?: number;
    /** Origins the app server answers with CORS (e.g. "null" for sandboxed frames). */
    appCorsOrigins?: string[];
    /** The app server's DPoP option. */
    dpop?: boolean | { requireNonce?: boolean };
    /** The page the app serves at /, from test/e2e/fixture/. @default 'index.html' */
    page?: string;
  } = {},
): Promise<Harness> {
  const staticDir = await bundleClient();
  await copyFile(join(root, 'test/e2e/fixture', options.page ?? 'index.html'), join(staticDir, 'index.html'));

  const app = await startServer({
    port: 0,
    host: '127.0.0.1',
    staticDir,
    accessTokenTtl: options.accessTokenTtl ?? 60,
    allowedOrigins: options.appCorsOrigins ?? [],
    ...(options.reuseInterval === undefined ? {} : { reuseInterval: options.reuseInterval }),
    ...(options.dpop === undefined ? {} : { dpop: options.dpop }),
  });
  const tap = await startTap(app.port);
  const other = await startServer({ port: 0, host: '127.0.0.1', allowedOrigins: [tap.url] });
  const otherTap = await startTap(other.port);
  const browser = await engine.launch();
  const context = await browser.newContext();
  const restored = (tab: Tab) => tab.waitFor(() => 'tk' in window).then(() => tab.evaluate(() => window.tk.restored));

  return {
    app: { ...app, url: tap.url, port: tap.port },
    tap,
    other: { ...other, url: otherTap.url, port: otherTap.port },
    otherTap,
    browser,
    context,
    async openTab() {
      const tab = await context.newTab(tap.url);
      await restored(tab);
      return tab;
    },
    async reload(tab) {
      await tab.reload();
      return restored(tab);
    },
    async close() {
      await browser.close();
      await Promise.all([app.close(), other.close(), tap.close(), otherTap.close()]);
      await rm(staticDir, { recursive: true, force: true });
    },
  };
}

export async function stats(harness: Harness) {
  const response = await fetch(`${harness.app.url}/__stats`);
  return (await response.json()) as RunningServer['stats'];
}
