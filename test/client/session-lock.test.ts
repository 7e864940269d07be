import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSessionLock } from '../../src/session-lock';
import { useLockManager } from '../support/lock-manager';
import { outcomeWithin } from '../support/outcome';

// The lock that serialises cookie-changing calls in a tab and across tabs, and its escape hatch.
const locks = useLockManager();
afterEach(() => void vi.useRealTimers());

const closed = () => new Error('closed');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createSessionLock', () => {
  it.each([
    ['across tabs (Web Lock)', () => 'l'],
    ['within a tab', null],
  ] as const)('%s: runs one task at a time and hands each caller its own result', async (_name, webLock) => {
    const order: string[] = [];
    const tabs = [createSessionLock(webLock, 10_000, closed, () => {}, () => undefined), createSessionLock(webLock, 10_000, closed, () => {}, () => undefined)];
    const lock = (i: number) => (webLock ? tabs[i]! : tabs[0]!);
    const task = (name: string) => async () => {
      order.push(`${name} start`);
      await sleep(10);
      order.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([lock(0).run_(task('a')), lock(1).run_(task('b')), lock(0).run_(task('c'))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(order.filter((step) => step.endsWith('start')).length).toBe(3);
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i]!.replace('start', 'end'));
  });

  it('goes ahead when the Web Lock is not granted in time (a frozen tab holds it)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    void navigator.locks.request('l', {}, () => new Promise(() => {})); // never released
    let ran: string | undefined;
    void createSessionLock(() => 'l', 50, closed, () => {}, () => undefined)
      .run_(async () => 'ran')
      .then((result) => (ran = result));
    await vi.advanceTimersByTimeAsync(49);
    expect(ran).toBeUndefined(); // still waiting for the lock
    await vi.advanceTimersByTimeAsync(1);
    expect(ran).toBe('ran');
  });

  it('passes a task’s failure to its caller and releases the lock for the next', async () => {
    const lock = createSessionLock(() => 'l', 10_000, closed, () => {}, () => undefined);
    await expect(lock.run_(async () => Promise.reject(new Error('refresh failed')))).rejects.toThrow('refresh failed');
    await expect(lock.run_(async () => 'next')).resolves.toBe('next');
  });

  it('close() gives up waiting tasks at once and frees their place; the running one finishes', async () => {
    const other = createSessionLock(() => 'l', 10_000, closed, () => {}, () => undefined);
    const lock = createSessionLock(() => 'l', 10_000, closed, () => {}, () => undefined);
    let release = () => {};
    let started = () => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    const holding = other.run_(() => {
      started();
      return new Promise<string>((resolve) => (release = () => resolve('held')));
    });
    const waitingHere = lock.run_(async () => 'never');
    const queuedHere = lock.run_(async () => 'never either');
    await running;
    lock.close_();
    // The holder keeps the lock until after this: only close() can end these waits.
    expect(await outcomeWithin(waitingHere)).toEqual({ error: new Error('closed') });
    expect(await outcomeWithin(queuedHere)).toEqual({ error: new Error('closed') });
    release();
    await expect(holding).resolves.toBe('held');
  });

  it('without Web Locks, still serialises within the tab', async () => {
    locks.uninstall();
    const lock = createSessionLock(() => 'l', 10_000, closed, () => {}, () => undefined);
    let running = 0;
    let most = 0;
    const task = async () => {
      most = Math.max(most, ++running);
      await sleep(5);
      running--;
    };
    await Promise.all([lock.run_(task), lock.run_(task), lock.run_(task)]);
    expect(most).toBe(1);
  });
});
