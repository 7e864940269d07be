import type { AuthClient } from 'tokenkeeper';

declare global {
  interface Window {
    tk: {
      auth: AuthClient;
      log: Array<Record<string, unknown>>;
      restored: Promise<unknown>;
    };
    /** The bundle's exports, where a test put them (the classic script /tokenkeeper.iife.js, or the module). */
    tokenkeeper: typeof import('tokenkeeper');
  }
}
