// The part of the auth app that the account routes (mfa-routes.mjs, session-routes.mjs) use.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { createMfa } from './mfa.mjs';
import type { RefreshTokens } from './refresh-tokens.d.mts';
import type { AuthStore, Family, StoredUser } from './stores/index.mjs';

export interface Account {
  user: StoredUser;
  /** The session (refresh token family) the access token was issued to. */
  sessionId: string;
}

export type Route = (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => Promise<void>;

export interface AccountContext {
  store: AuthStore;
  mfa: ReturnType<typeof createMfa>;
  refreshTokens: RefreshTokens;
  cookieName: string;
  /** The Set-Cookie that clears the refresh cookie, with the flags `req`'s page got it with. */
  clearCookie(req: IncomingMessage): string;
  /** The user of a valid access token whose session is still live; throws 401 otherwise. */
  account(req: IncomingMessage): Promise<Account>;
  /** A JSON object body, `{}` when empty; throws 400/413 otherwise. */
  readBody(req: IncomingMessage): Promise<Record<string, unknown>>;
  startSession(req: IncomingMessage, res: ServerResponse, user: StoredUser): Promise<void>;
  /** Counts a sign-in. */
  signedIn(): void;
  /** Logs the current code when `user` is the demo user and demo logging is on. */
  demoCode(user: StoredUser, secret: string): void;
  /** Issuer shown in authenticator apps. */
  issuer: string;
  /** The app's clock, epoch ms. */
  now(): number;
  /** Not revoked, and its newest refresh token unexpired on the app's clock (a store forgets expired families on its own clock). */
  isLive(family: Family): boolean;
}
