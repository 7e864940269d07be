import { createEmitter } from './emitter';
import type { NotifyQueue } from './notify-queue';
import type { AuthState } from './types';

/** The access token and what we know of it. Lives in this closure only: never in state, storage or events. */
export interface Grant<TUser> {
  readonly accessToken: string;
  readonly expiresAt: number | null;
  readonly refreshAt: number | null;
  readonly user: TUser | null;
  /** True when `user` came from the server's `user` field rather than the JWT's claims. */
  readonly userFromServer: boolean;
  /** The JWT's `sub`, when it has one: a refresh that answers another subject is another account. */
  readonly subject?: unknown;
  /** With `dpop`: the key pair the token is bound to. A tab that takes the token takes the key too. */
  readonly key?: unknown;
}

/** Two JWT subjects, both known and different: the cookie now holds another account's session. */
export const isOtherAccount = (mine: unknown, theirs: unknown): boolean => mine != null && theirs != null && mine !== theirs;
/** Past its refresh point: refresh before use. */
export const isDue = (grant: Grant<unknown>): boolean => grant.refreshAt !== null && Date.now() >= grant.refreshAt;
/** Past its expiry: the server will refuse it. */
export const isExpired = (grant: Grant<unknown>): boolean => grant.expiresAt !== null && Date.now() >= grant.expiresAt;

export interface SessionStore<TUser> {
  getState_(): AuthState<TUser>;
  subscribe_(listener: (state: AuthState<TUser>) => void): () => void;
  grant_(): Grant<TUser> | null;
  /** Bumped whenever a session begins or ends, so late answers to older requests can be recognised. */
  epoch_(): number;
  /** Holds `grant`: the token of a new session (login, register, another tab's login) or the current one's new token. */
  hold_(grant: Grant<TUser>, newSession?: boolean): void;
  /** Drops the token; returns whether a session was live (so `logout` fires once per session). */
  end_(): boolean;
  clear_(): void;
}

export function createSessionStore<TUser>(queue: NotifyQueue): SessionStore<TUser> {
  let grant: Grant<TUser> | null = null;
  let epoch = 0;
  let state: AuthState<TUser> = { status: 'unknown', user: null, expiresAt: null };
  const changes = createEmitter<{ state: AuthState<TUser> }>(queue);

  const setState = (next: AuthState<TUser>) => {
    if (next.status === state.status && next.user === state.user && next.expiresAt === state.expiresAt) return;
    state = next; // A new object only on a real change: React's useSyncExternalStore relies on that.
    changes.emit_('state', next);
  };
  return {
    getState_: () => state,
    subscribe_: (listener) => changes.on_('state', listener),
    grant_: () => grant,
    epoch_: () => epoch,
    hold_(next, newSession) {
      if (newSession) epoch++;
      grant = next;
      setState({ status: 'authenticated', user: next.user, expiresAt: next.expiresAt });
    },
    end_() {
      const wasLive = state.status === 'authenticated';
      grant = null;
      epoch++;
      setState({ status: 'anonymous', user: null, expiresAt: null });
      return wasLive;
    },
    clear_: changes.clear_,
  };
}
