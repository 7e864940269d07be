import { chromium, type Browser as PlaywrightBrowser } from 'playwright-core';
import { chromiumPath, LABELS, MISSING } from './installed.mjs';
import { createTab } from './tab';
import type { Browser, Engine } from './types';

/** Flags for Debian's chromium in a sandboxed, offline machine. */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What playwright-core adds to keep background pages at full speed; a real window has none of them. */
export const UNTHROTTLED = ['--disable-background-timer-throttling', '--disable-backgrounding-occluded-windows', '--disable-renderer-backgrounding'];

/**
 * Debian's Chromium (or `CHROMIUM_PATH`), headless, with the flags above, through playwright-core.
 * `throttled`: background pages are throttled as in a real window (playwright-core turns that off).
 */
export function launchChromium(options: { throttled?: boolean } = {}): Promise<PlaywrightBrowser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    ...(options.throttled ? { ignoreDefaultArgs: UNTHROTTLED } : {}),
  });
}

/** The same as a server other processes connect to (start-engines.ts). */
export const launchChromiumServer = () => chromium.launchServer({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });

export const chromiumEngine: Engine = {
  name: 'chromium',
  label: LABELS.chromium,
  missing: MISSING.chromium,
  async launch(): Promise<Browser> {
    // The run's Chromium (start-engines.ts) when there is one; close() then only disconnects.
    const shared = process.env['E2E_CHROMIUM_WS'];
    return chromiumBrowser(shared ? await chromium.connect(shared) : await launchChromium());
  },
};

/** A {@link Browser} on a playwright-core Chromium. */
export function chromiumBrowser(browser: PlaywrightBrowser): Browser {
  return {
    async newContext() {
      // Test servers on https use a self-signed certificate (tls.ts).
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      return {
        async newTab(url) {
          const page = await context.newPage();
          const errors: string[] = [];
          page.on('pageerror', (error) => errors.push(error.message));
          await page.goto(url);
          return createTab({
            run: (expression) => page.evaluate(expression),
            click: (css) => page.click(css),
            fill: (css, value) => page.fill(css, value),
            goto: async (next) => void (await page.goto(next)),
            reload: async () => void (await page.reload()),
            url: async () => page.url(),
            screenshot: async (path) => void (await page.screenshot({ path, fullPage: true })),
            errors: async () => [...errors],
            close: () => page.close(),
          });
        },
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}
