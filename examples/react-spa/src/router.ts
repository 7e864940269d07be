// Just enough routing for two pages: the history API and a hook that follows it.
import { useSyncExternalStore } from 'react';

const base = import.meta.env.BASE_URL.replace(/\/$/, ''); // '' here; '/vue' for an app built with base '/vue/'

export function navigate(to: string, { replace = false } = {}) {
  if (base + to === location.pathname + location.search) return;
  history[replace ? 'replaceState' : 'pushState'](null, '', base + to);
  dispatchEvent(new PopStateEvent('popstate'));
}

const subscribe = (onChange: () => void) => {
  addEventListener('popstate', onChange);
  return () => removeEventListener('popstate', onChange);
};

/** The current path below the app's base, e.g. `/login?reason=remote`. */
export function useRoute() {
  const href = useSyncExternalStore(subscribe, () => location.pathname.slice(base.length) + location.search);
  const url = new URL(href, location.origin);
  return { path: url.pathname, query: url.searchParams };
}
