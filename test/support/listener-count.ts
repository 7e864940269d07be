import { vi } from 'vitest';

/**
 * Spies on window's and document's add/removeEventListener and returns how many listeners are
 * attached through them right now, so a test can prove that nothing is left behind.
 */
export function countPageListeners(): () => number {
  const live = new Map<string, number>();
  for (const target of [window, document]) {
    const add = target.addEventListener.bind(target);
    const remove = target.removeEventListener.bind(target);
    vi.spyOn(target, 'addEventListener').mockImplementation((type, ...rest) => {
      live.set(type, (live.get(type) ?? 0) + 1);
      add(type, ...rest);
    });
    vi.spyOn(target, 'removeEventListener').mockImplementation((type, ...rest) => {
      live.set(type, (live.get(type) ?? 0) - 1);
      remove(type, ...rest);
    });
  }
  return () => [...live.values()].reduce((sum, n) => sum + n, 0);
}
