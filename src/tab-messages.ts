import type { TabMessage } from './cross-tab';
import type { Log } from './options';
import { isOtherAccount, type SessionStore } from './session-store';
import type { Transitions } from './session-transitions';

/**
 * What this tab does with another tab's message: its login starts the session here too, its logout
 * ends it, its new token replaces ours unless it is stale.
 * @param onUserLogout - told when the user signed out in another tab.
 */
export const createTabReceiver =
  <TUser>(store: SessionStore<TUser>, session: Transitions<TUser>, log: Log, onUserLogout: () => void) =>
  (message: TabMessage<TUser>) => {
    log(`other tab: ${message.type}`);
    if (message.type === 'login') session.hold_(message.grant, true);
    else if (message.type === 'logout') {
      // The user signed out in another tab: a login on its way here must not outlive that either.
      if (message.reason === 'user') onUserLogout();
      session.end_(message.reason === 'user' ? 'remote' : message.reason);
    }
    // A signed-out tab ignores tokens: it may have logged out while that refresh was in flight.
    // And a late message must not replace a newer token.
    else if (store.getState_().status !== 'anonymous' && !((store.grant_()?.expiresAt ?? -Infinity) > (message.grant.expiresAt ?? Infinity))) {
      // Another account's token is a new session, however it was announced.
      session.hold_(message.grant, isOtherAccount(store.grant_()?.subject, message.grant.subject));
    }
  };
