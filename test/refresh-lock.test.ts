import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withRefreshLock } from '../src/refresh-lock';
import { createLockManager, installLockManager } from './support/lock-manager';

// The Web Lock that serialises refreshes across tabs, and its escape hatch for a frozen holder.
let uninstall = () => {};
beforeEach(() => {
  uninstall = installLockManager(createLockManager());
});
afterEach(() => uninstall());

describe('withRefreshLock', () => {
  it('runs one task at a time and hands each caller its own result', async () => {
    const order: string[] = [];
    const task = (name: string) => async () => {
      order.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      order.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([withRefreshLock('l', task('a')), withRefreshLock('l', task('b'))]);
    expect(results).toEqual(['a', 'b']);
    expect(order).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('refreshes anyway when the lock is not granted in time (a frozen tab holds it)', async () => {
    void navigator.locks.request('l', {}, () => new Promise(() => {})); // never released
    const started = performance.now();
    await expect(withRefreshLock('l', async () => 'ran', 50)).resolves.toBe('ran');
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('passes the task’s failure to its caller and releases the lock for the next', async () => {
    await expect(withRefreshLock('l', async () => Promise.reject(new Error('refresh failed')))).rejects.toThrow('refresh failed');
    await expect(withRefreshLock('l', async () => 'next')).resolves.toBe('next');
  });

  it('without Web Locks, simply runs the task', async () => {
    uninstall();
    await expect(withRefreshLock('l', async () => 'unlocked')).resolves.toBe('unlocked');
  });
});
