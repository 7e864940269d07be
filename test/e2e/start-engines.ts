import type { TestProject } from 'vitest/node';
import { MISSING } from './engines/installed.mjs';
import type { EngineName } from './engines/types';

/**
 * Global setup, per project: starts the project's engine once for the run, and every test file
 * connects to it (a Firefox start alone costs seconds). The endpoint reaches the test workers,
 * started after this, through the environment. A file run on its own without it launches its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = project.name as EngineName;
  if (MISSING[name]?.() !== undefined) return async () => {};
  if (name === 'chromium') {
    const { launchChromiumServer } = await import('./engines/chromium');
    const server = await launchChromiumServer();
    process.env['E2E_CHROMIUM_WS'] = server.wsEndpoint();
    return () => server.close();
  }
  if (name === 'firefox') {
    const { launchFirefox } = await import('./engines/firefox');
    const browser = await launchFirefox();
    const firefox = browser.process();
    process.env['E2E_FIREFOX_WS'] = browser.wsEndpoint();
    await browser.disconnect(); // ends the BiDi session: Firefox takes one at a time
    return async () => void firefox?.kill();
  }
  const { startXvfb } = await import('./engines/webkit');
  const xvfb = await startXvfb();
  process.env['E2E_WEBKIT_DISPLAY'] = xvfb.display;
  return async () => void xvfb.process.kill();
}
