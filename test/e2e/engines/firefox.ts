import puppeteer from 'puppeteer-core';
import { firefoxPath, LABELS, MISSING } from './installed.mjs';
import { puppeteerBrowser } from './puppeteer-browser';
import type { Browser, Engine } from './types';

/** Debian's Firefox ESR (or `FIREFOX_PATH`), headless, over WebDriver BiDi through puppeteer-core. */
export const launchFirefox = (options: { networkEnabled?: boolean } = {}) =>
  puppeteer.launch({
    ...options,
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
    return puppeteerBrowser(browser, () => (shared ? browser.disconnect() : browser.close()));
  },
};
