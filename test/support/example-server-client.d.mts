export interface Target { url: string }
export interface Session { cookie: string; accessToken: string; userId: string }
export interface RefreshResult { status: number; cookie: string; accessToken: string }

export declare function cookieOf(response: Response): string;
export declare function post(target: Target, path: string, init?: { cookie?: string; body?: unknown }): Promise<Response>;
/** Logs in (the demo user by default); throws unless 200. */
export declare function login(target: Target, credentials?: { email: string; password: string }): Promise<Session>;
export declare function refresh(target: Target, cookie: string): Promise<RefreshResult>;
export declare function me(target: Target, accessToken: string): Promise<{ status: number; userId: string | undefined }>;
/** Each server's /__stats, and their sum. */
export declare function totals(servers: Target[]): Promise<{ sum: Record<string, number>; each: Record<string, number>[] }>;
export declare function resetStats(servers: Target[]): Promise<Response[]>;
