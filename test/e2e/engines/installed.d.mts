import type { EngineName } from './types';

export declare const ENGINE_NAMES: readonly EngineName[];
export declare const LABELS: Record<EngineName, string>;
export declare function chromiumPath(): string;
export declare function firefoxPath(): string;
export declare function webDriverPath(): string;
/** MiniBrowser's path (`WEBKIT_MINIBROWSER`, or found under /usr/lib/<triplet>/webkit2gtk-4.1/). */
export declare function miniBrowserPath(): string | undefined;
/** Why each engine cannot run here, and how to install it; `undefined` when it can. */
export declare const MISSING: Record<EngineName, () => string | undefined>;
