// Types for TypeScript callers (the browser test); the implementation is plain JavaScript.
import type { RunningServer, StartServerOptions } from './server/index.mjs';

/** The directory the demo server serves: the React build, with the Vue build in `vue/`. */
export declare const demoDir: string;
/** Builds the library when dist/ is missing or stale, then the React and Vue demos. Resolves to {@link demoDir}. */
export declare function buildDemo(options?: { log?: (line: string) => void }): Promise<string>;
/** Starts the example auth server serving the demos; `url` is `http://localhost:<port>`. `accessTokenTtl` defaults to 30. */
export declare function startDemo(options?: Omit<StartServerOptions, 'staticDir'>): Promise<RunningServer>;
