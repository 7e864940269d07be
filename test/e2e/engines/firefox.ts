import puppeteer from 'puppeteer-core';
import { firefoxPath, LABELS, MISSING } from './installed.mjs';
import { createTab } from './tab';
import type { Browser, Engine } from './types';

/** Debian's Firefox ESR (or `FIREFOX_PATH`), headless, over WebDriver BiDi through puppeteer-core. */
export const launchFirefox = () =>
  puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    acceptInsecureCerts: true, // test servers on https use a self-signed certificate (tls.ts)
    // Nothing to fetch from Mozilla on a closed network; say so rather than wait for refusals.
    extraPrefsFirefox: { 'network.captive-portal-service.enabled': false, 'app.update.enabled': false },
  });

/** The run's Firefox (start-engines.ts) when there is one: a BiDi session of this file's own on it. */
export const firefoxEngine: Engine = {
  name: 'firefox',
  label: LABELS.firefox,
  missing: MISSING.firefox,
  async launch(): Promise<Browser> {
    const shared = process.env['E2E_FIREFOX_WS'];
    const browser = shared
      ? await puppeteer.connect({ browserWSEndpoint: shared, protocol: 'webDriverBiDi', acceptInsecureCerts: true })
      : await launchFirefox();
    return {
      async newContext() {
        const context = await browser.createBrowserContext();
        return {
          async newTab(url, options) {
            const page = await context.newPage({ background: options?.background ?? false });
            const errors: string[] = [];
            page.on('pageerror', (error) => errors.push(error instanceof Error ? error.message : String(error)));
            await page.goto(url);
            return createTab({
              run: (expression) => page.evaluate(expression),
              // Real tabs: a background one is hidden and gets no animation frames, which input
              // waits for; a user brings a tab to the front before clicking in it, so do that.
              click: async (css) => {
                await page.bringToFront();
                await page.locator(css).click();
              },
              fill: async (css, value) => {
                await page.bringToFront();
                await page.locator(css).fill(value);
              },
              goto: async (next) => void (await page.goto(next)),
              reload: async () => void (await page.reload()),
              url: async () => page.url(),
              screenshot: async (path) => void (await page.screenshot({ path: path as `${string}.png`, fullPage: true })),
              errors: async () => [...errors],
              close: () => page.close(),
            });
          },
          close: () => context.close(),
        };
      },
      close: () => (shared ? browser.disconnect() : browser.close()),
    };
  },
};
