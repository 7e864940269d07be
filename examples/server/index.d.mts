// Types for TypeScript callers (the tests); the implementation is plain JavaScript.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface AuthAppOptions {
  /** Seconds. @default 60 */
  accessTokenTtl?: number;
  /** Seconds. @default 86400 */
  refreshTokenTtl?: number;
  /** Seconds in which the refresh token just replaced yields a fresh rotation instead of reuse. @default 10 */
  reuseInterval?: number;
  /** Origins that get CORS headers. @default [] */
  allowedOrigins?: readonly string[];
  /** JWT HMAC key. @default 32 random bytes */
  secret?: string | Uint8Array;
  /** Seed users. @default [DEMO_USER] */
  users?: { email: string; password: string; name?: string }[];
  /** Clock, epoch ms. @default Date.now */
  now?: () => number;
  /** @default 'tk_refresh' */
  cookieName?: string;
  /** @default 16384 */
  maxBodyBytes?: number;
}

export interface AuthStats {
  logins: number;
  registrations: number;
  refreshes: number;
  rejectedRefreshes: number;
  reuseDetected: number;
  logouts: number;
  meRequests: number;
}

export interface AuthApp {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  ready: Promise<void>;
  stats: AuthStats;
  reset(): void;
  expireAccessTokens(): void;
}

export interface StartServerOptions extends AuthAppOptions {
  /** 0 picks a free port. @default 4000 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Directory served at `/`, with index.html as the fallback for client-side routes. */
  staticDir?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  app: AuthApp;
  stats: AuthStats;
  close(): Promise<void>;
}

export declare const DEMO_USER: { email: string; password: string; name: string };
export declare function createAuthApp(options?: AuthAppOptions): AuthApp;
export declare function startServer(options?: StartServerOptions): Promise<RunningServer>;
