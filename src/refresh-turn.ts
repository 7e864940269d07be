import type { CrossTab } from './cross-tab';
import { AuthError } from './errors';
import type { Config } from './options';
import { requestGrant } from './server-calls';
import type { SessionLock } from './session-lock';
import { isDue, isOtherAccount, type Grant, type SessionStore } from './session-store';

/**
 * The refresher's way to a new token: under the session lock, one tab at a time. A token that came
 * while we queued (a login, another tab's refresh) is taken instead of asking again; one we fetch
 * is shared with the other tabs. Throws `AuthError`.
 */
export const createRefreshTurn =
  <TUser>(config: Config<TUser>, lock: SessionLock, store: SessionStore<TUser>, tabs: CrossTab<TUser> | null) =>
  (before: Grant<TUser> | null): Promise<Grant<TUser>> => {
    const { log_: log } = config;
    const epoch = store.epoch_();
    return lock.run(async () => {
      // Let a message that raced our turn land, then use what it brought rather than refresh again.
      if (tabs) await new Promise((resolve) => setTimeout(resolve, 0));
      // A login, or another tab's refresh, brought a token while we queued.
      const current = store.grant_();
      if (current && current !== before && !isDue(current)) {
        log('refresh: token adopted');
        return current;
      }
      // The session ended while we queued (a logout, another tab's refused refresh): do not ask again.
      if (store.epoch_() !== epoch) throw new AuthError('unauthorized', 'Session ended');
      log('refresh: calling server');
      const grant = (await requestGrant(config, 'refresh', undefined, before)) as Grant<TUser>;
      // Shared while we still hold the lock, so a tab queued behind us finds it; also when
      // dispose() came meanwhile: the tabs that stay get the token this cookie was rotated for.
      // Another account's token (the cookie followed a sign-in elsewhere) starts a new session: the
      // other tabs must hear it as one, or they would replay the old session's requests in it.
      if (store.epoch_() === epoch) tabs?.post({ v: 1, type: isOtherAccount(before?.subject, grant.subject) ? 'login' : 'refreshed', grant });
      return grant;
    });
  };
