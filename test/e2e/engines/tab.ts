import type { Tab, Target } from './types';

/** What an engine must do itself; {@link createTab} builds the rest of a {@link Tab} on it. */
export interface TabDriver extends Pick<Tab, 'goto' | 'reload' | 'url' | 'screenshot' | 'errors' | 'close'> {
  /** Evaluates a JavaScript expression in the page; a promise is awaited. */
  run(expression: string): Promise<unknown>;
  /** A real click on the element `css` selects. */
  click(css: string): Promise<void>;
  /** Focuses the field `css` selects, clears it and types `value`. */
  fill(css: string, value: string): Promise<void>;
}

/**
 * Runs in the page (sent as source): the elements a user would mean by `target`, visible ones only
 * for roles and labels. Names are compared with collapsed whitespace, as accessible names are.
 */
function locate(target: Target): Element[] {
  const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
  const matches = (text: string | null, wanted: string, exact?: boolean) =>
    exact ? squash(text) === wanted : squash(text).toLowerCase().includes(wanted.toLowerCase());
  const rendered = (el: Element) => el.getClientRects().length > 0;
  const all = (css: string) => [...document.querySelectorAll(css)];
  if ('css' in target) return all(target.css);
  if ('testId' in target) return all(`[data-testid="${target.testId}"]`);
  if ('label' in target) {
    const byLabel = all('label')
      .filter((label) => matches(label.textContent, target.label, target.exact))
      .map((label) => (label as HTMLLabelElement).control)
      .filter((control): control is HTMLElement => control !== null);
    const byAria = all('[aria-label]').filter((el) => matches(el.getAttribute('aria-label'), target.label, target.exact));
    return [...new Set([...byLabel, ...byAria])].filter(rendered);
  }
  const css = {
    button: 'button, [role="button"], input[type="submit"], input[type="button"]',
    heading: target.level ? `h${target.level}, [role="heading"][aria-level="${target.level}"]` : 'h1, h2, h3, h4, h5, h6, [role="heading"]',
    alert: '[role="alert"]',
  }[target.role];
  const name = (el: Element) => el.getAttribute('aria-label') ?? ((el as HTMLInputElement).value || el.textContent);
  return all(css).filter((el) => rendered(el) && (target.name === undefined || matches(name(el), target.name, target.exact)));
}

const call = (fn: (...args: never[]) => unknown, ...args: unknown[]) =>
  `(${fn.toString()})(${args.map((arg) => (arg === undefined ? 'undefined' : JSON.stringify(arg))).join(', ')})`;
const describe = (target: Target) => JSON.stringify(target);
let marks = 0;

/** A {@link Tab} on an engine's {@link TabDriver}: element queries run in the page, input is the engine's own. */
export function createTab(driver: TabDriver): Tab {
  /** Until `check` is truthy. A check that throws (its page navigating meanwhile) counts as not yet. */
  const poll = async (check: () => Promise<unknown>, what: string, timeout = 10_000) => {
    const deadline = Date.now() + timeout;
    let failure: unknown;
    for (;;) {
      try {
        if (await check()) return;
      } catch (error) {
        failure = error;
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`, { cause: failure });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  /** Marks the first element matching `target`, once enabled, and returns a selector for it, for the engine's own input. */
  const mark = async (target: Target) => {
    const id = `m${++marks}`;
    // As a user waits for it: there, and enabled.
    const found = (el: Element | undefined, mark: string) =>
      el && !(el as HTMLButtonElement).disabled ? (el.setAttribute('data-e2e-mark', mark), true) : false;
    const script = `(${found.toString()})((${locate.toString()})(${JSON.stringify(target)})[0], ${JSON.stringify(id)})`;
    await poll(() => driver.run(script), describe(target));
    return `[data-e2e-mark="${id}"]`;
  };
  return {
    evaluate: (fn, arg) => driver.run(call(fn as (...args: never[]) => unknown, arg)) as never,
    waitFor: (fn, arg, options) => poll(() => driver.run(call(fn as (...args: never[]) => unknown, arg)), fn.toString(), options?.timeout),
    waitForElement: (target, options) =>
      poll(() => driver.run(`${call(locate, target)}.length > 0`), describe(target), options?.timeout),
    text: async (target) => (await driver.run(`${call(locate, target)}[0]?.textContent ?? null`)) as string | null,
    count: async (target) => (await driver.run(`${call(locate, target)}.length`)) as number,
    click: async (target) => driver.click(await mark(target)),
    fill: async (target, value) => driver.fill(await mark(target), value),
    goto: (url) => driver.goto(url),
    reload: () => driver.reload(),
    url: () => driver.url(),
    screenshot: (path) => driver.screenshot(path),
    errors: () => driver.errors(),
    close: () => driver.close(),
  };
}

/**
 * Installed in pages where the engine reports no page errors of its own (WebKit over classic
 * WebDriver): collects them in the page, from the moment it runs.
 */
export const COLLECT_ERRORS = `(() => {
  if (window.__e2eErrors) return;
  window.__e2eErrors = [];
  addEventListener('error', (event) => window.__e2eErrors.push(String(event.message)));
  addEventListener('unhandledrejection', (event) => window.__e2eErrors.push(String(event.reason?.message ?? event.reason)));
})()`;
