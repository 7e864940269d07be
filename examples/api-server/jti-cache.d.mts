// Types for TypeScript callers (the tests); the implementation is plain JavaScript.
/** Spent DPoP proof ids in this process's memory, each kept for `ttlMs`. */
export declare function createJtiCache(options?: { now?: () => number }): {
  /** `true` the first time `key` is seen within its `ttlMs`, `false` after. */
  useOnce(key: string, ttlMs: number): Promise<boolean>;
};
