// What the handler modules share: the server's parts and a few of its operations.
import type { ResolvedEndpoints } from './endpoints';
import type { Limiter } from './limiter';
import type { Mfa } from './mfa';
import type { RefreshTokenStore } from './refresh-tokens';
import type { AuthServerStats, GuessingLimits } from './types';
import type { StoredUser, UserDirectory } from './users';

/** The signed-in user behind a bearer token, and the session (`sid`) it was issued to. */
export interface Account {
  user: StoredUser;
  sessionId?: string;
}

/** One mock server's state and operations, as its handlers see them. */
export interface ServerContext {
  urls: ResolvedEndpoints;
  users: UserDirectory;
  refreshTokens: RefreshTokenStore;
  mfa: Mfa;
  stats: AuthServerStats;
  limiter: Limiter;
  limits: Required<GuessingLimits>;
  /** The configured latency. */
  wait(): Promise<void>;
  /** The user of a valid access token (with its DPoP proof when bound) whose session is still live, or the 401. */
  account(request: Request): Promise<Account | Response>;
  /** A token call's DPoP proof: the key to bind the token to (`{}` without a proof), or the 400. */
  tokenProof(request: Request): Promise<{ jkt?: string } | Response>;
  /** The refresh cookie, if a browser would have sent it. */
  presentedToken(request: Request, cookies: Record<string, string>): string | undefined;
  /** Starts a session: a new refresh family, its cookie and an access token (bound to `jkt` when given). */
  session(user: StoredUser, status: number, request: Request, jkt?: string): Promise<Response>;
  /** `Set-Cookie` value that deletes the refresh cookie. */
  clearCookie(): string;
}
