import type { CrossTab } from './cross-tab';
import { AuthError } from './errors';
import type { Config } from './options';
import { requestGrant } from './server-calls';
import type { SessionLock } from './session-lock';
import { isDue, isOtherAccount, type Grant, type SessionStore } from './session-store';

/**
 * The refresher's way to a new token: from the server under the session lock, one tab at a time,
 * unless this tab learns it first. A token that came while we queued (a login, another tab's
 * refresh) is taken instead of asking again: news of the session takes a refresh out of the Web
 * Lock's queue to look, as the lock is for the tab that must ask the server, not for those that
 * only need its answer. One we fetch is shared with the other tabs before the lock is released.
 * Throws `AuthError`.
 */
export function createRefreshTurn<TUser>(
  config: Config<TUser>,
  lock: SessionLock,
  store: SessionStore<TUser>,
  tabs: CrossTab<TUser> | null,
): (before: Grant<TUser> | null) => Promise<Grant<TUser>> {
  const { log_: log } = config;
  /** Aborted by any change of the session (a token, a login, its end): the waiting refresh looks. */
  let news = new AbortController();
  store.subscribe_(() => news.abort());

  const take = (before: Grant<TUser> | null): Promise<Grant<TUser>> => {
    const epoch = store.epoch_();
    /** What this tab learned without asking the server: a token a login or another tab's refresh brought, or the session's end. */
    const adopt = () => {
      const current = store.grant_();
      if (current && current !== before && !isDue(current)) {
        log('refresh: token adopted');
        return current;
      }
      // The session ended while we queued (a logout, another tab's refused refresh): do not ask again.
      if (store.epoch_() !== epoch) throw new AuthError('unauthorized', 'Session ended');
    };
    news = new AbortController();
    return lock
      .run_(async () => {
        const current = adopt();
        if (current) return current;
        log('refresh: calling server');
        const grant = (await requestGrant(config, 'refresh', undefined, before)) as Grant<TUser>;
        // Shared before the lock is released, so a tab queued behind us has heard it when its task
        // starts (the lock catches up first); also when dispose() came meanwhile: the tabs
        // that stay get the token this cookie was rotated for. Another account's token (the cookie
        // followed a sign-in elsewhere) starts a new session: the other tabs must hear it as one, or
        // they would replay the old session's requests in it.
        if (store.epoch_() === epoch) tabs?.post_({ v: 1, type: isOtherAccount(before?.subject, grant.subject) ? 'login' : 'refreshed', grant });
        return grant;
      }, news.signal)
      // Out of the queue on news (undefined): its token, the session's end, or, when it does not answer
      // us after all (a token already due), back in.
      .then((grant) => grant ?? adopt() ?? take(before));
  };
  return take;
}
