export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  pid: number;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Its `GET /__stats` counters. */
  stats(): Promise<Record<string, number>>;
  /** SIGKILL: dies mid-request, as a crashed machine would. */
  kill(): Promise<void>;
  /** SIGTERM: a clean shutdown. */
  stop(): Promise<void>;
}
/** Starts `node examples/server/main.mjs` with `env` added (PORT defaults to 0) and waits until it listens. */
export declare function startServerProcess(env?: Record<string, string>): Promise<ServerProcess>;
