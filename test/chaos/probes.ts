import { vi } from 'vitest';
import { countPageListeners } from '../support/listener-count';

/**
 * Instruments the globals the client may leave things in, so a test can prove that after
 * `dispose()` nothing is left: window/document listeners and timers long enough to be the client's
 * (refresh timers, lock and auth-call timeouts; msw's own delays in the tests are far shorter).
 * Open BroadcastChannels are counted by `trackChannelDeliveries`, which wraps the channel already.
 */
export function installLeakProbes(longTimerMs = 1_000) {
  const listeners = countPageListeners();

  const longTimers = new Map<unknown, string>(); // handle → where it was set, for the failure message
  const nativeSet = globalThis.setTimeout;
  const nativeClear = globalThis.clearTimeout;
  vi.stubGlobal('setTimeout', ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const long = (ms ?? 0) >= longTimerMs;
    const handle: unknown = nativeSet(
      (...callArgs: unknown[]) => {
        longTimers.delete(handle);
        callback(...callArgs);
      },
      ms,
      ...args,
    );
    if (long) longTimers.set(handle, new Error().stack?.split('\n').slice(2, 5).join(' | ') ?? '');
    return handle;
  }) as typeof setTimeout);
  vi.stubGlobal('clearTimeout', ((handle: Parameters<typeof clearTimeout>[0]) => {
    longTimers.delete(handle);
    nativeClear(handle);
  }) as typeof clearTimeout);

  return {
    listeners,
    longTimers: () => [...longTimers.values()],
  };
}
