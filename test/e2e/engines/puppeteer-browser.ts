import type { Browser as PuppeteerBrowser } from 'puppeteer-core';
import { createTab } from './tab';
import type { Browser } from './types';

/**
 * A {@link Browser} on a puppeteer-core browser: Firefox over WebDriver BiDi here, and Chromium over
 * CDP in the tabs benchmark. `close` ends it (or only disconnects from a browser shared by the run).
 */
export function puppeteerBrowser(browser: PuppeteerBrowser, close: () => Promise<void> = () => browser.close()): Browser {
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
    close,
  };
}
