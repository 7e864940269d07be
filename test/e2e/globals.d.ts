import type { AuthClient } from 'tokenkeeper';
import type { DpopHandle } from 'tokenkeeper/dpop';

declare global {
  interface Window {
    tk: {
      auth: AuthClient;
      log: Array<Record<string, unknown>>;
      restored: Promise<unknown>;
      /** The client's `dpop` option, on the DPoP page (fixture/dpop.html). */
      dpop?: DpopHandle;
    };
    /** The bundle's exports, where a test put them (the classic script /tokenkeeper.iife.js, or the module). */
    tokenkeeper: typeof import('tokenkeeper');
  }
}
