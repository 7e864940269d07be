// The mock server at API for a test file, and the target its raw HTTP calls (./http.mjs) go to:
// Node, so a test can read Set-Cookie and present a chosen cookie (the header wins over MSW's jar).
import { setupServer, type SetupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createAuthServer, type AuthServer, type AuthServerOptions } from 'tokenkeeper/msw';
import type { Target } from './http.mjs';

export const API = 'https://api.example.com';
/** Where the raw calls go: always with a Cookie header, so MSW's own jar never joins in. */
export const MOCK: Target = { url: API, alwaysSendCookie: true };
/** The start of a 30-second TOTP step. */
export const START = Date.parse('2030-01-01T00:00:00Z');

/**
 * A mock server at {@link API} for the file's tests, on a clock that starts at {@link START}
 * before each test; `reset()` after each.
 */
export function useMockServer(options: Omit<AuthServerOptions, 'baseUrl' | 'now'>): {
  auth: AuthServer;
  clock: { now: number };
  /** The MSW server: `server.use(...)` puts handlers of another mock first, for one test. */
  server: SetupServer;
} {
  const clock = { now: START };
  const auth = createAuthServer({ ...options, baseUrl: API, now: () => clock.now });
  const server = setupServer(...auth.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    clock.now = START;
  });
  afterEach(() => {
    server.resetHandlers();
    auth.reset();
  });
  afterAll(() => server.close());
  return { auth, clock, server };
}
