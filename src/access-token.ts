import { abortable } from './abortable';
import { AuthError } from './errors';
import type { Refresher, RefreshResult } from './refresh';
import type { Log } from './options';
import { isDue, isExpired, type SessionStore } from './session-store';

export interface AccessTokens {
  /**
   * The token to send now: refreshed first when within the refresh margin, awaited when a refresh is
   * already bringing the first one. `null` when there is no session, or when the session the caller
   * asked in ended while it waited (its request must not go out in another account). Throws
   * `AuthError` only when the token is expired and the refresh failed for a reason that is not a logout.
   */
  forRequest_(signal?: AbortSignal | null): Promise<string | null>;
  /**
   * After a 401 to a request sent with `sent`: the token to replay with, or `null` when the session
   * it was sent in is over (ended, or replaced by a login here or in another tab). Refreshes only if
   * no newer token arrived since the request went out.
   */
  afterUnauthorized_(sent: SentWith, signal?: AbortSignal | null): Promise<string | null>;
  /** Notes what a request goes out with, for {@link AccessTokens.afterUnauthorized_}. */
  sentWith_(token: string): SentWith;
}

export interface SentWith {
  token_: string;
  refreshMark_: number;
  /** The session it was sent in. */
  epoch_: number;
}

export function createAccessTokens<TUser>(store: SessionStore<TUser>, refresher: Refresher<TUser>, log: Log): AccessTokens {
  /** `pending`'s token, or `null` when the session ended or changed (`epoch`) meanwhile. */
  const refreshed = async (
    pending: Promise<RefreshResult<TUser>>,
    signal: AbortSignal | null | undefined,
    epoch: number | null,
    fallback?: () => string | null,
  ) => {
    const result = await abortable(pending, signal);
    if (epoch !== null && store.epoch_() !== epoch) return null;
    if (!(result instanceof AuthError)) return result.accessToken;
    if (result.code === 'unauthorized') return null;
    const token = fallback?.();
    if (token) return token;
    throw result;
  };

  return {
    async forRequest_(signal) {
      const grant = store.grant_();
      if (grant && !isDue(grant)) return grant.accessToken;
      if (!grant) {
        // No token yet: wait for a restore already on its way (which starts no new session), else go without one.
        const pending = refresher.inFlight_();
        if (!pending) return null;
        log('awaiting refresh');
        return refreshed(pending, signal, null);
      }
      log('token due: refreshing');
      // Due but not expired: a failed proactive refresh should not fail a request the old token can still make.
      return refreshed(refresher.refresh_(), signal, store.epoch_(), () => {
        const still = store.grant_();
        return still && !isExpired(still) ? still.accessToken : null;
      });
    },
    async afterUnauthorized_(sent, signal) {
      const grant = store.grant_();
      if (!grant || store.epoch_() !== sent.epoch_) return null;
      if (grant.accessToken !== sent.token_) return grant.accessToken;
      log('401: refreshing');
      return refreshed(refresher.refreshSince_(sent.refreshMark_), signal, sent.epoch_);
    },
    sentWith_: (token) => ({ token_: token, refreshMark_: refresher.mark_(), epoch_: store.epoch_() }),
  };
}
