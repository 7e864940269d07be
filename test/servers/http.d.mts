/** A server under test. */
export interface Target {
  url: string;
  /**
   * Send a Cookie header on every call (`tk_refresh=` when none is given) and credentials
   * `include` by default: the mock server (MSW in Node) attaches its own jar otherwise.
   */
  alwaysSendCookie?: boolean;
}

export interface CallOptions {
  token?: string | undefined;
  /** The Authorization scheme `token` goes under: `DPoP` for a key-bound token. @default 'Bearer' */
  scheme?: 'Bearer' | 'DPoP';
  /** A DPoP proof (RFC 9449), sent as the `DPoP` header. */
  proof?: string | undefined;
  /** The Cookie header to present, e.g. `tk_refresh=<token>` from {@link cookieOf}; none by default. */
  cookie?: string | undefined;
  /** JSON-encoded unless a string. */
  body?: unknown;
  userAgent?: string;
  credentials?: RequestCredentials;
  /** More headers, e.g. `X-Forwarded-For` to stand for a client address. */
  headers?: Record<string, string>;
}

export interface Session {
  /** `tk_refresh=<token>`, or '' when the answer set none. */
  cookie: string;
  token: string;
  user: { id: string; email: string; name?: string };
}

export interface RefreshResult {
  status: number;
  cookie: string;
  token: string;
}

export declare function call(target: Target, method: string, path: string, options?: CallOptions): Promise<Response>;
export declare function cookieOf(response: Response): string;
export declare function sessionOf(response: Response): Promise<Session>;
export declare function login(target: Target, email: string, password: string, userAgent?: string): Promise<Response>;
export declare function refresh(target: Target, cookie: string): Promise<Response>;
export declare function signIn(target: Target, credentials: { email: string; password: string }): Promise<Session>;
export declare function refreshResult(target: Target, cookie: string): Promise<RefreshResult>;
export declare function me(target: Target, token: string): Promise<{ status: number; userId: string | undefined }>;
export declare function totals(servers: Target[]): Promise<{ sum: Record<string, number>; each: Record<string, number>[] }>;
export declare function resetStats(servers: Target[]): Promise<Response[]>;
