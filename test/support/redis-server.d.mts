export declare const redisServerPath: string;
export declare const redisServerMissing: boolean;
export declare const redisMissingMessage: string;
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  stop(): Promise<void>;
}
/** Starts a throwaway redis-server on a free loopback port (persistence off); throws when it is not installed. */
export declare function startRedisServer(): Promise<RedisServer>;
