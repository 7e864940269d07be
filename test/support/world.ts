import { jwtDecode } from 'jwt-decode';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createAuthClient, type AuthClient, type AuthClientOptions, type AuthUser } from 'tokenkeeper';
import { createAuthServer } from 'tokenkeeper/msw';

export const API = 'https://api.example.com';
export const FOREIGN = 'https://other.example.net';
export const USER = { email: 'alice@example.com', password: 'correct-horse-battery', name: 'Alice' };
/** An account with a second factor (TOTP) from the start. */
export const MFA_USER = { email: 'dana@example.com', password: 'two-factors-please', name: 'Dana', totpSecret: 'JBSWY3DPEHPK3PXP' };
/** A second account, for account switches. */
export const OTHER_USER = { email: 'carol@example.com', password: 'battery-staple-horse', name: 'Carol' };

export interface SeenRequest {
  url: string;
  method: string;
  authorization: string | null;
  body: string;
}

/**
 * One msw server standing for the whole backend: the mock auth server, a protected API on the
 * auth origin, and a foreign origin. The server's clock can run ahead of the client's
 * (`serverClock.skew`) so tokens the client still trusts can be refused.
 */
export function setupWorld() {
  const serverClock = { skew: 0 };
  const now = () => Date.now() + serverClock.skew;
  const auth = createAuthServer({ baseUrl: API, accessTokenTtl: 300, refreshTokenTtl: 3600, users: [USER, OTHER_USER, MFA_USER], now });
  const seen: SeenRequest[] = [];
  /**
   * The protected API answers its `index`th request to a URL (from 0) once `after(index)` settled:
   * by default at once, with no timer, so it answers under fake timers too.
   */
  const apiAnswers = { after: (_index: number): unknown => undefined };

  const tokenIsValid = (authorization: string | null) => {
    const token = authorization?.replace(/^Bearer /, '');
    if (!token) return false;
    try {
      return jwtDecode(token).exp! * 1000 > now();
    } catch {
      return false;
    }
  };

  const record = async (request: Request) => {
    const entry = {
      url: request.url,
      method: request.method,
      authorization: request.headers.get('authorization'),
      body: await request.text(),
    };
    seen.push(entry);
    return entry;
  };

  const protectedEcho = async ({ request }: { request: Request }) => {
    const entry = await record(request);
    // Its own place among the requests to this URL: others may have been recorded since.
    const index = seen.filter((s) => s.url === entry.url).indexOf(entry);
    await apiAnswers.after(index);
    if (!tokenIsValid(entry.authorization)) {
      return HttpResponse.json({ error: 'invalid_token' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } });
    }
    return HttpResponse.json({ method: entry.method, body: entry.body, contentType: request.headers.get('content-type') });
  };

  const server = setupServer(
    ...auth.handlers,
    http.all(`${API}/api/echo`, protectedEcho),
    http.all(`${FOREIGN}/*`, async ({ request }) => {
      await record(request);
      return HttpResponse.json({ error: 'nope' }, { status: 401 });
    }),
  );

  const clients: Array<{ dispose(): void }> = [];
  const client = <TUser = AuthUser>(options: Partial<AuthClientOptions<TUser>> = {}): AuthClient<TUser> => {
    const created = createAuthClient<TUser>({ baseUrl: API, crossTab: false, ...options });
    clients.push(created);
    return created;
  };

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    auth.reset();
    seen.length = 0;
    serverClock.skew = 0;
    apiAnswers.after = () => undefined;
  });
  afterEach(() => {
    server.resetHandlers();
    for (const created of clients.splice(0)) created.dispose();
  });
  afterAll(() => server.close());

  /**
   * Holds POSTs to `url` at the server until `open()`, then passes them on to the mock auth server;
   * `atServer` resolves once the first has arrived. Until the test's handlers are reset.
   */
  const hold = (url: string) => {
    let open = () => {};
    const held = new Promise<void>((resolve) => (open = resolve));
    let reached = () => {};
    const atServer = new Promise<void>((resolve) => (reached = resolve));
    server.use(
      http.post(url, async () => {
        reached();
        await held;
        return undefined;
      }),
    );
    return { open, atServer };
  };

  return { server, auth, seen, serverClock, apiAnswers, client, hold, echoUrl: `${API}/api/echo` };
}
