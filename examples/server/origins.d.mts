// Types for TypeScript callers (the tests); the implementation is plain JavaScript.

/** SPA_ORIGINS as origins (a trailing slash trimmed), and a warning per entry dropped or changed, or for an empty list. */
export declare function parseOrigins(raw: string | undefined): { origins: string[]; warnings: string[] };
/** Why a page on `origin` is refused, e.g. the localhost / 127.0.0.1 mix-up. */
export declare function refusedOriginHint(origin: string, allowed: readonly string[]): string;
/** `http://localhost:<port>` for a loopback or wildcard host, else `http://<host>:<port>`. */
export declare function browserUrl(host: string, port: number): string;
