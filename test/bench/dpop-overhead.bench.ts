import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { launchChromium } from '../e2e/engines/chromium';
import { startBenchServer } from './bench-server';

// What the client option `dpop` costs per authFetch, in Chromium (where WebCrypto signs): two clients
// in one page against a local server that checks no proof, so the figure is the client's own.
// Requests run inside the page, interleaved, so no Playwright round trip is timed.
const root = fileURLToPath(new URL('../..', import.meta.url));
let server: Awaited<ReturnType<typeof startBenchServer>>;
let browser: Browser;
let page: Page;

const PAGE = `<!doctype html><script type="module">
  import { createAuthClient } from '/tokenkeeper.js';
  import { createDpop } from '/tokenkeeper-dpop.js';
  const bearer = createAuthClient({ baseUrl: location.origin, crossTab: false });
  const dpop = createAuthClient({ baseUrl: location.origin, crossTab: false, dpop: createDpop() });
  const once = async (client) => (await client.authFetch('/api/data')).arrayBuffer();
  const median = (values) => { const s = [...values].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
  window.bench = {
    ready: Promise.all([bearer.login({}), dpop.login({})]),
    once: (name) => once(name === 'dpop' ? dpop : bearer),
    async pairs(count) {
      const times = { bearer: [], dpop: [] };
      for (let i = 0; i < count; i++) {
        for (const name of i % 2 ? ['bearer', 'dpop'] : ['dpop', 'bearer']) {
          const start = performance.now();
          await once(name === 'dpop' ? dpop : bearer);
          times[name].push(performance.now() - start);
        }
      }
      return { bearer: median(times.bearer), dpop: median(times.dpop) };
    },
  };
</script>`;

beforeAll(async () => {
  // The sources as users bundle them: the core and tokenkeeper/dpop sharing their common chunk.
  const out = await mkdtemp(join(tmpdir(), 'tokenkeeper-bench-'));
  await build({
    entryPoints: { tokenkeeper: join(root, 'src/index.ts'), 'tokenkeeper-dpop': join(root, 'src/dpop.ts') },
    bundle: true, splitting: true, format: 'esm', minify: true, outdir: out, logLevel: 'silent',
  });
  const pages: Record<string, string> = { '/': PAGE };
  for (const file of await readdir(out)) pages[`/${file}`] = await readFile(join(out, file), 'utf8');
  await rm(out, { recursive: true, force: true });
  server = await startBenchServer(pages);
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(server.url); // 127.0.0.1: a secure context, so WebCrypto is there
  await page.waitForFunction(() => 'bench' in window);
  await page.evaluate(() => (window as unknown as { bench: { ready: Promise<unknown>; pairs(n: number): Promise<unknown> } }).bench.ready);
  await page.evaluate(() => (window as unknown as { bench: { pairs(n: number): Promise<unknown> } }).bench.pairs(300)); // warm up
}, 60_000);

afterAll(async () => {
  const pairs = 2_000;
  const result = await page.evaluate((count) => (window as unknown as { bench: { pairs(n: number): Promise<{ bearer: number; dpop: number }> } }).bench.pairs(count), pairs);
  console.log(
    `\n[dpop] Chromium authFetch with dpop / without, median of ${pairs} interleaved pairs: ${(result.dpop / result.bearer).toFixed(2)} ` +
      `(${(result.dpop * 1000).toFixed(0)} µs vs ${(result.bearer * 1000).toFixed(0)} µs)`,
  );
  await browser.close();
  await server.close();
}, 120_000);

describe('authFetch with DPoP (Chromium, local HTTP server)', () => {
  const once = (name: string) => () => page.evaluate((which) => (window as unknown as { bench: { once(n: string): Promise<unknown> } }).bench.once(which).then(() => undefined), name);
  bench('authFetch (bearer), through Playwright', once('bearer'), { time: 1_000 });
  bench('authFetch (dpop), through Playwright', once('dpop'), { time: 1_000 });
});
