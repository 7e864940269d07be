// Types for TypeScript callers (the tests); the implementation is plain JavaScript.
export interface ApiServerOptions {
  /** The auth server's `/.well-known/jwks.json`. */
  jwksUrl: string | URL;
  /** 0 picks a free port. @default 4001 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** SPA origins that get CORS headers. @default [] */
  allowedOrigins?: readonly string[];
}

export interface RunningApiServer {
  url: string;
  port: number;
  /** Requests let through, and requests refused for their token. */
  stats: { authorized: number; rejected: number };
  close(): Promise<void>;
}

/** Serves `GET /api/hello` to bearers of an ES256 access token that verifies against the JWKS. */
export declare function startApiServer(options: ApiServerOptions): Promise<RunningApiServer>;
