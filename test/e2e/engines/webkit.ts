import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { Builder, By, Capabilities, type WebDriver } from 'selenium-webdriver';
import { LABELS, miniBrowserPath, MISSING, webDriverPath } from './installed.mjs';
import { COLLECT_ERRORS, createTab } from './tab';
import type { Browser, Context, Engine } from './types';


/** A port nobody listens on right now. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });

/** An Xvfb of its own (the first free display, `-displayfd`), so runs side by side do not share one. */
export async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  process.once('exit', () => xvfb.kill());
  let stderr = '';
  xvfb.stderr?.on('data', (chunk) => (stderr += chunk));
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    (xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(`:${out.trim()}`);
    });
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}: ${stderr}`)));
    xvfb.once('error', reject);
  });
  return { display, process: xvfb };
}

async function waitForServer(url: string, driver: ChildProcess) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${driver.exitCode}`);
    const ok = await fetch(`${url}/status`).then((res) => res.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`WebKitWebDriver did not answer at ${url}`);
}

/**
 * One WebDriver session (one MiniBrowser, one cookie jar). Classic WebDriver talks to one window
 * at a time, so every command takes the session in turn and switches to its tab's window first.
 * A script is started in one command and awaited in the next, so scripts of several tabs run at
 * the same time (`Promise.all(tabs.map((tab) => tab.evaluate(...)))` means what it says).
 */
async function startSession(display: string): Promise<Context> {
  const port = await freePort();
  const server = spawn(webDriverPath(), [`--port=${port}`, '--host=127.0.0.1'], {
    stdio: 'ignore',
    env: { ...process.env, DISPLAY: display },
  });
  // A test that times out never reaches close(): the worker's exit still ends WebKitWebDriver and its browser.
  process.once('exit', () => server.kill());
  const url = `http://127.0.0.1:${port}`;
  await waitForServer(url, server);
  const capabilities = new Capabilities({
    browserName: 'MiniBrowser',
    acceptInsecureCerts: true, // test servers on https use a self-signed certificate (tls.ts)
    'webkitgtk:browserOptions': { binary: miniBrowserPath(), args: ['--automation'] },
  });
  const driver: WebDriver = await new Builder().usingServer(url).withCapabilities(capabilities).build();
  await driver.manage().setTimeouts({ script: 60_000, pageLoad: 30_000 });
  const home = await driver.getWindowHandle(); // stays open: closing the last window ends the session
  let current = home;
  let queue: Promise<unknown> = Promise.resolve();
  /** Runs `command` alone on the session, in window `handle`. */
  const inWindow = <T>(handle: string, command: () => Promise<T>): Promise<T> => {
    const turn = queue.then(async () => {
      if (current !== handle) {
        await driver.switchTo().window(handle);
        current = handle;
      }
      return command();
    });
    queue = turn.catch(() => {});
    return turn;
  };
  let runs = 0;

  return {
    async newTab(tabUrl, options) {
      const handle = await inWindow(current, async () => {
        // A window, not a tab: MiniBrowser's tabs opened over WebDriver all stay hidden (even the
        // one being driven; screenshots of them never come), so every tab here is a window of its
        // own, and visible, as windows side by side are; unless a hidden one is asked for.
        await driver.switchTo().newWindow(options?.background ? 'tab' : 'window');
        current = await driver.getWindowHandle();
        return current;
      });
      const pastErrors: string[] = [];
      const arrive = async () => void (await driver.executeScript(COLLECT_ERRORS));
      const leave = async () => pastErrors.push(...((await driver.executeScript('return window.__e2eErrors || []')) as string[]));
      await inWindow(handle, async () => {
        await driver.get(tabUrl);
        await arrive();
      });
      return createTab({
        async run(expression) {
          const id = `r${++runs}`;
          await inWindow(handle, () =>
            driver.executeScript(
              `(window.__e2eRuns ??= {})[${JSON.stringify(id)}] = Promise.resolve().then(() => ${expression})
                 .then((value) => ({ value: value === undefined ? null : value }), (error) => ({ error: String(error?.stack ?? error) }));`,
            ),
          );
          const result = (await inWindow(handle, () =>
            driver.executeAsyncScript(
              `const done = arguments[arguments.length - 1];
               const run = window.__e2eRuns?.[${JSON.stringify(id)}];
               // Gone: the script sent this page elsewhere, after it had run (as history.back() does).
               if (!run) done({ value: null });
               else run.then(done);
               delete window.__e2eRuns?.[${JSON.stringify(id)}];`,
            ),
          )) as { value?: unknown; error?: string };
          if (result.error !== undefined) throw new Error(result.error);
          return result.value;
        },
        click: (css) => inWindow(handle, async () => driver.findElement(By.css(css)).click()),
        fill: (css, value) =>
          inWindow(handle, async () => {
            const field = await driver.findElement(By.css(css));
            await field.clear();
            await field.sendKeys(value);
          }),
        goto: (next) =>
          inWindow(handle, async () => {
            await leave();
            await driver.get(next);
            await arrive();
          }),
        reload: () =>
          inWindow(handle, async () => {
            await leave();
            await driver.navigate().refresh();
            await arrive();
          }),
        url: () => inWindow(handle, () => driver.getCurrentUrl()),
        screenshot: (path) => inWindow(handle, async () => writeFile(path, await driver.takeScreenshot(), 'base64')),
        errors: () =>
          inWindow(handle, async () => [...pastErrors, ...((await driver.executeScript('return window.__e2eErrors || []')) as string[])]),
        close: () =>
          inWindow(handle, async () => {
            await driver.close();
            await driver.switchTo().window(home);
            current = home;
          }),
      });
    },
    async close() {
      await queue;
      await driver.quit().catch(() => {});
      server.kill();
    },
  };
}

/**
 * Debian's WebKitGTK: `WebKitWebDriver` (classic WebDriver, through selenium-webdriver) starting
 * `MiniBrowser --automation` on an Xvfb display of its own. A context is a WebDriver session.
 */
export const webkitEngine: Engine = {
  name: 'webkit',
  label: LABELS.webkit,
  missing: MISSING.webkit,
  async launch(): Promise<Browser> {
    // The run's Xvfb (start-engines.ts) when there is one.
    const shared = process.env['E2E_WEBKIT_DISPLAY'];
    const xvfb = shared ? { display: shared, process: undefined } : await startXvfb();
    const contexts = new Set<Context>();
    return {
      async newContext() {
        const context = await startSession(xvfb.display);
        contexts.add(context);
        return {
          newTab: (url, tabOptions) => context.newTab(url, tabOptions),
          close: async () => {
            contexts.delete(context);
            await context.close();
          },
        };
      },
      async close() {
        await Promise.all([...contexts].map((context) => context.close()));
        xvfb.process?.kill();
      },
    };
  },
};
