// Guessing limits: a fixed window per key on the server's clock. `take` reads and counts in one
// synchronous step, so requests in flight together cannot all pass the check before one is counted.
import { error } from './responses';

/**
 * Creates the try counters of one mock server (passwords per account and per address, codes per account).
 *
 * @example
 * const limiter = createLimiter(now, 900);
 * const left = limiter.take('code:u1', 5); // a number, or the 429 to answer
 */
export function createLimiter(now: () => number, windowSeconds: number) {
  const windows = new Map<string, { count: number; endsAt: number }>();
  return {
    /** Counts a try at `key` and answers the tries left; when `limit` were made in its window, the 429 instead (nothing counted). */
    take(key: string, limit: number): number | Response {
      const at = now();
      for (const [name, { endsAt }] of windows) if (endsAt <= at) windows.delete(name);
      const window = windows.get(key) ?? { count: 0, endsAt: at + windowSeconds * 1000 };
      windows.set(key, window);
      if (window.count < limit) return limit - ++window.count;
      return error(429, 'too_many_attempts', {}, { 'Retry-After': String(Math.ceil((window.endsAt - at) / 1000)) });
    },
    /** Gives a try back: a right password must not use up its address's budget. */
    give(key: string): void {
      const window = windows.get(key);
      if (window) window.count--;
    },
    /** A success: the key's count starts again. */
    forget: (key: string): boolean => windows.delete(key),
    clear: (): void => windows.clear(),
  };
}

/** The try counters of one server. */
export type Limiter = ReturnType<typeof createLimiter>;
