import { beforeEach } from 'vitest';
import { trackChannelDeliveries } from './channel-deliveries';
import { useLockManager } from './lock-manager';

/**
 * Tabs as a browser has them, for each test of the file: one Web Locks manager their clients share
 * (`locks()`, fresh per test; `uninstallLocks()`: a browser without Web Locks) and their
 * BroadcastChannel messages counted, so `delivered()` waits until every tab has heard what was said so far.
 */
export function useSimulatedTabs() {
  const locks = useLockManager();
  let tracked: ReturnType<typeof trackChannelDeliveries> | undefined;
  beforeEach(() => {
    tracked = trackChannelDeliveries();
  });
  return { locks: locks.current, uninstallLocks: locks.uninstall, delivered: () => tracked?.delivered() ?? Promise.resolve() };
}
