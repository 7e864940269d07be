import type { AuthClient } from 'tokenkeeper';

declare global {
  interface Window {
    tk: {
      auth: AuthClient;
      log: Array<Record<string, unknown>>;
      restored: Promise<unknown>;
    };
  }
}
