import { useEffect, useState, useSyncExternalStore } from 'react';
import { idleWarning, secondsLeft } from './idle';

/** The idle timeout's countdown, from the `idle` event until `active` or the sign-out. */
export function IdleBanner() {
  const logoutAt = useSyncExternalStore(idleWarning.subscribe, idleWarning.logoutAt);
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (logoutAt === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250); // often enough that no second is skipped
    return () => clearInterval(timer);
  }, [logoutAt]);
  if (logoutAt === null) return null;
  return (
    <p className="banner" role="status" data-testid="idle-banner">
      Signing you out in {secondsLeft(logoutAt, now)} s <span className="muted">· move the mouse or press a key, in any tab, to stay</span>
    </p>
  );
}
