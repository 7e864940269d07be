// Which engines this machine has, without loading any driver (the vitest config asks this, and
// plain JavaScript lets Vite's native config loader read it).
import { existsSync, readdirSync } from 'node:fs';

export const ENGINE_NAMES = /** @type {const} */ (['chromium', 'firefox', 'webkit']);
export const LABELS = { chromium: 'Chromium', firefox: 'Firefox ESR', webkit: 'WebKitGTK' };

export const chromiumPath = () => process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const firefoxPath = () => process.env['FIREFOX_PATH'] ?? '/usr/bin/firefox-esr';
export const webDriverPath = () => process.env['WEBKIT_WEBDRIVER'] ?? '/usr/bin/WebKitWebDriver';

/** Debian puts MiniBrowser under /usr/lib/<triplet>/webkit2gtk-4.1/. */
export function miniBrowserPath() {
  if (process.env['WEBKIT_MINIBROWSER']) return process.env['WEBKIT_MINIBROWSER'];
  const lib = '/usr/lib';
  for (const dir of existsSync(lib) ? readdirSync(lib) : []) {
    for (const api of ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0']) {
      const path = `${lib}/${dir}/${api}/MiniBrowser`;
      if (existsSync(path)) return path;
    }
  }
  return undefined;
}

const WEBKIT = 'apt-get install -y webkit2gtk-driver xvfb';

/** Why each engine cannot run here, and how to install it; `undefined` when it can. */
export const MISSING = {
  chromium: () => (existsSync(chromiumPath()) ? undefined : `no ${chromiumPath()}: apt-get install -y chromium (or set CHROMIUM_PATH)`),
  firefox: () => (existsSync(firefoxPath()) ? undefined : `no ${firefoxPath()}: apt-get install -y firefox-esr (or set FIREFOX_PATH)`),
  webkit: () => {
    if (!existsSync(webDriverPath())) return `no ${webDriverPath()}: ${WEBKIT} (or set WEBKIT_WEBDRIVER)`;
    if (!miniBrowserPath()) return `no MiniBrowser under /usr/lib/*/webkit2gtk-4.1/: ${WEBKIT} (or set WEBKIT_MINIBROWSER)`;
    if (!existsSync('/usr/bin/Xvfb')) return `no /usr/bin/Xvfb for WebKit's display: ${WEBKIT}`;
    return undefined;
  },
};
