import type { AuthError } from './errors';
import type { AuthClient } from './types';

/** The adapters' page-load restore of one client, and its last failure for the UI to show. */
export interface Restorer {
  /** The last failed restore; `null` while one runs and after one succeeded. */
  error(): AuthError | null;
  /** Calls `listener` when {@link Restorer.error} changes. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Restores now, or joins the restore in flight. Never rejects: the outcome is the state and `error()`. */
  run(): Promise<void>;
  /** The page-load restore: once per client, and only while its status is `unknown`. */
  once(): void;
}

// Per client, not per component: StrictMode's double mount, a remount and a second provider or
// app with the same client all share one restore, so the server sees one refresh.
const restorers = new WeakMap<object, Restorer>();

/** The one {@link Restorer} of `client`. */
export function restorerFor(client: AuthClient<unknown>): Restorer {
  let restorer = restorers.get(client);
  if (restorer) return restorer;
  let error: AuthError | null = null;
  let inFlight: Promise<void> | null = null;
  let started = false;
  const listeners = new Set<() => void>();
  const settle = (next: AuthError | null) => {
    if (next === error) return;
    error = next;
    for (const listener of listeners) listener();
  };
  restorer = {
    error: () => error,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    run() {
      if (inFlight) return inFlight;
      settle(null); // retrying: the UI shows progress, not the previous failure
      // restore() rejects only with an AuthError (network, timeout, 5xx); a 401 resolves null.
      const attempt = client.restore().then(() => settle(null), (failure: unknown) => settle(failure as AuthError));
      inFlight = attempt.finally(() => (inFlight = null));
      return inFlight;
    },
    once() {
      if (started) return;
      started = true;
      if (client.getState().status === 'unknown') void restorer!.run();
    },
  };
  restorers.set(client, restorer);
  return restorer;
}
