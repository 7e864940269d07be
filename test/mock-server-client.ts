// Raw HTTP calls to the mock server, as the tests of its second factor and device list make them:
// Node, so a test can read Set-Cookie and present a chosen cookie (the header wins over MSW's jar).
import { setupServer, type SetupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { createAuthServer, type AuthServer, type AuthServerOptions } from 'tokenkeeper/msw';

export const API = 'https://api.example.com';
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

export interface CallOptions {
  token?: string | undefined;
  /** The refresh token to present; none by default. */
  cookie?: string | undefined;
  body?: unknown;
  userAgent?: string;
  credentials?: RequestCredentials;
  /** More headers, e.g. `X-Forwarded-For` to stand for a client address. */
  headers?: Record<string, string>;
}

export function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const { token, cookie, body, userAgent, credentials = 'include', headers = {} } = options;
  return fetch(`${API}${path}`, {
    method,
    credentials,
    headers: {
      Cookie: `tk_refresh=${cookie ?? ''}`,
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(userAgent ? { 'User-Agent': userAgent } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

/** The refresh token a response set, or `''`. */
export const cookieOf = (res: Response): string => /^tk_refresh=([^;]*)/.exec(res.headers.getSetCookie()[0] ?? '')?.[1] ?? '';

export interface Session {
  cookie: string;
  token: string;
  user: { id: string; email: string };
}

/** A session from a 200 login, register or MFA answer. */
export async function sessionOf(res: Response): Promise<Session> {
  expect(res.status).toBe(200);
  const body = (await res.json()) as { accessToken: string; user: Session['user'] };
  return { cookie: cookieOf(res), token: body.accessToken, user: body.user };
}

export const login = (email: string, password: string, userAgent?: string): Promise<Response> =>
  call('POST', '/auth/login', { body: { email, password }, ...(userAgent ? { userAgent } : {}) });

export const refresh = (cookie: string): Promise<Response> => call('POST', '/auth/refresh-token', { cookie });
