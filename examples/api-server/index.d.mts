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
  /**
   * How DPoP proofs (RFC 9449) are checked for tokens bound to a key (`cnf.jkt`), which are refused
   * without `Authorization: DPoP` and a proof by that key (401, `WWW-Authenticate: DPoP
   * error="invalid_token", algs="ES256"`). Spent proof ids are kept in this process's memory.
   */
  dpop?: {
    /** Seconds a proof's `iat` may be from this server's clock either way. @default 60 */
    iatWindow?: number;
    /** The origins clients call this server at, which a proof's `htu` must name (behind a proxy). @default the request's `Host`, over http or https */
    origins?: readonly string[];
  };
}

export interface RunningApiServer {
  url: string;
  port: number;
  /** Requests let through, and requests refused for their token. */
  stats: { authorized: number; rejected: number };
  close(): Promise<void>;
}

/**
 * Serves `GET /api/hello` to bearers of an ES256 access token that verifies against the JWKS; a
 * token bound to a DPoP key also needs `Authorization: DPoP` and a valid proof by that key.
 */
export declare function startApiServer(options: ApiServerOptions): Promise<RunningApiServer>;
