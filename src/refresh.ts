import { AuthError } from './errors';
import type { Grant, SessionStore } from './session-store';

/** A refresh's outcome: the new grant, or why there is none. */
export type RefreshResult<TUser> = Grant<TUser> | AuthError;

export interface RefresherDeps<TUser> {
  store_: SessionStore<TUser>;
  /** Gets a new token (from the server, or one another tab just shared); throws `AuthError`. */
  fetchGrant_(previous: Grant<TUser> | null): Promise<Grant<TUser>>;
  /** A new token for the session: store and announce it. */
  onRenewed_(grant: Grant<TUser>): void;
  /** The server refused the refresh (401/403): the session is over. */
  onRejected_(): void;
  /** The refresh failed but the session stands (network, timeout, 5xx, bad body). */
  onFailed_(error: AuthError): void;
}

export interface Refresher<TUser> {
  /** Starts a refresh, or joins the one in flight. Never rejects: failures come back as a result. */
  refresh_(): Promise<RefreshResult<TUser>>;
  /** The refresh in flight, if any. */
  inFlight_(): Promise<RefreshResult<TUser>> | null;
  /** A mark to pass to {@link Refresher.refreshSince_} later. */
  mark_(): number;
  /**
   * Like `refresh()`, but when a refresh that started after `mark` has already settled, its result is
   * reused: N requests whose 401s straggle in after a failed refresh must not cost N more refreshes.
   */
  refreshSince_(mark: number): Promise<RefreshResult<TUser>>;
}

/**
 * Single-flight refresh: one request at a time, its promise shared by every caller and cleared when
 * it settles. Results resolve rather than reject so a refresh nobody awaits (the timer's) cannot
 * become an unhandled rejection.
 */
export function createRefresher<TUser>(deps: RefresherDeps<TUser>): Refresher<TUser> {
  const { store_: store } = deps;
  let current: Promise<RefreshResult<TUser>> | null = null;
  let started = 0;
  /** The newest refresh that settled: its number and result. */
  let settledId = 0;
  let settled: RefreshResult<TUser> | undefined;

  // A login or logout that happened while we waited makes our answer stale: report the session as it now is.
  const sessionNow = (): RefreshResult<TUser> => store.grant_() ?? new AuthError('unauthorized', 'Session ended');

  const run = async (): Promise<RefreshResult<TUser>> => {
    const epoch = store.epoch_();
    try {
      const grant = await deps.fetchGrant_(store.grant_());
      if (store.epoch_() !== epoch) return sessionNow();
      // A grant another tab shared is already stored and announced.
      if (grant !== store.grant_()) deps.onRenewed_(grant);
      return grant;
    } catch (thrown) {
      const error =
        thrown instanceof AuthError ? thrown : new AuthError('invalid_response', 'Refresh failed', { cause: thrown });
      if (store.epoch_() !== epoch) return sessionNow();
      if (error.code === 'unauthorized') deps.onRejected_();
      else deps.onFailed_(error);
      return error;
    }
  };

  const refresh = () => {
    if (current) return current;
    const id = ++started;
    return (current = run().then((result) => {
      settledId = id;
      settled = result;
      current = null;
      return result;
    }));
  };

  return {
    refresh_: refresh,
    inFlight_: () => current,
    mark_: () => started,
    refreshSince_(mark) {
      if (!current && settledId > mark) return Promise.resolve(settled!);
      return refresh();
    },
  };
}
