/** The engines the browser tests run in; one vitest project each (test/e2e/vitest.config.ts). */
export type EngineName = 'chromium' | 'firefox' | 'webkit';

/**
 * An element found the way a user finds it: by role and accessible name, by label, by test id, or
 * (last resort) by CSS. `name` and `label` match a substring unless `exact`.
 */
export type Target =
  | { role: 'button' | 'heading' | 'alert'; name?: string; level?: number; exact?: boolean }
  | { label: string; exact?: boolean }
  | { testId: string }
  | { css: string };

/** One tab. Every method talks to this tab, whatever else runs at the same time in other tabs. */
export interface Tab {
  /**
   * Runs `fn(arg)` in the page and resolves with its (awaited) result. `fn` is sent as source,
   * so it may use nothing from the test's scope; `arg` and the result travel as JSON
   * (`undefined` comes back as `null` in WebKit).
   */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<Awaited<R>>;
  /** Polls `fn(arg)` in the page until it is truthy; throws after `timeout` ms (default 10 s). */
  waitFor<A = undefined>(fn: (arg: A) => unknown, arg?: A, options?: { timeout?: number }): Promise<void>;
  /** Waits until `target` is in the page. */
  waitForElement(target: Target, options?: { timeout?: number }): Promise<void>;
  /** The text of the first element matching `target`, `null` when there is none. */
  text(target: Target): Promise<string | null>;
  /** How many elements match `target`. */
  count(target: Target): Promise<number>;
  /** A real click (the engine's own input) on the first element matching `target`. */
  click(target: Target): Promise<void>;
  /** Replaces the value of the field matching `target` by typing `value`. */
  fill(target: Target, value: string): Promise<void>;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  url(): Promise<string>;
  screenshot(path: string): Promise<void>;
  /** Uncaught errors and unhandled rejections of this tab's pages so far. */
  errors(): Promise<string[]>;
  close(): Promise<void>;
}

/** A browser context: tabs that share one cookie jar, one storage and one BroadcastChannel space. */
export interface Context {
  /**
   * Opens a tab on `url` and waits for its load. `background`: behind the tab in front, hidden as a
   * background tab is, where the driver can (Firefox, WebKit; Playwright keeps every Chromium page visible).
   */
  newTab(url: string, options?: { background?: boolean }): Promise<Tab>;
  close(): Promise<void>;
}

export interface Browser {
  /** A fresh context: empty cookie jar, no tabs. */
  newContext(): Promise<Context>;
  close(): Promise<void>;
}

export interface Engine {
  name: EngineName;
  /** As people call it: "Chromium", "Firefox ESR", "WebKitGTK". */
  label: string;
  /** Why it cannot run here and how to install it; `undefined` when it can. */
  missing(): string | undefined;
  launch(): Promise<Browser>;
}
