// better-auth (1.x) with its JWT plugin, as a real instance answers (test/recipes/better-auth.real.test.ts
// runs the same recipe against one):
//   POST /api/auth/sign-in/email { email, password } → 200 { redirect: false, token, user } +
//        Set-Cookie better-auth.session_token (`__Secure-` prefixed on https; httpOnly, 7 days).
//        `token` is the session id, not a JWT. Wrong password → 401 INVALID_EMAIL_OR_PASSWORD.
//   POST /api/auth/sign-up/email answers as sign-in does (the real-server test covers it).
//   GET  /api/auth/token → 200 { token: <JWT, 15 min> } for the session's cookie; none → 401
//        { message: 'Unauthorized', code: 'UNAUTHORIZED' }. A POST is 404.
//   POST /api/auth/sign-out → 200 { success: true }, cookies cleared (also without a session).
//   POST /api/auth/revoke-sessions → 200 { status: true }: every session of the user ends.
//   The app's own API verifies the JWT (here with the mock's key; for real, with GET /api/auth/jwks).
import { http, HttpResponse } from 'msw';
import type { RecipeMock } from './scenarios';
import { ALICE, bearerOf, browserCookie, json, jsonBody, jwtKeys, opaque, serverClock } from './support';

const JWT_TTL = 900;
const SESSION_TTL = 7 * 24 * 3600;

export function createBetterAuthMock(baseUrl: string, user = ALICE): RecipeMock {
  const clock = serverClock();
  const jwt = jwtKeys(clock);
  const secure = baseUrl.startsWith('https:');
  const cookieName = `${secure ? '__Secure-' : ''}better-auth.session_token`;
  /** The session table: session token → { userId, expiresAt }. */
  const sessions = new Map<string, { userId: string; expiresAt: number }>();
  const refreshStatuses: number[] = [];
  const api = `${baseUrl}/api/auth`;
  const account = { ...user, emailVerified: false, image: null, createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString() };
  const { password: _password, ...publicUser } = account;

  const setCookie = (value: string, maxAge: number) =>
    `${cookieName}=${value}; Max-Age=${maxAge}; Path=/; HttpOnly; ${secure ? 'Secure; ' : ''}SameSite=Lax`;
  const cleared = [setCookie('', 0)];
  const signIn = () => {
    const token = opaque(16);
    sessions.set(token, { userId: user.id, expiresAt: clock.now() + SESSION_TTL * 1000 });
    // The cookie carries the token and its HMAC; the mock keeps the shape, not the check.
    return json({ redirect: false, token, user: publicUser }, 200, [setCookie(`${token}.${opaque(16)}`, SESSION_TTL)]);
  };
  const sessionOf = (request: Request, cookies: Record<string, string>) => {
    const token = decodeURIComponent(browserCookie(request, cookies, cookieName) ?? '').split('.')[0] ?? '';
    const session = sessions.get(token);
    return session && session.expiresAt > clock.now() ? { token, ...session } : undefined;
  };
  const unauthorized = () => json({ message: 'Unauthorized', code: 'UNAUTHORIZED' }, 401);

  const handlers = [
    http.post(`${api}/sign-in/email`, async ({ request }) => {
      const body = await jsonBody(request);
      if (body['email'] !== user.email || body['password'] !== user.password) {
        return json({ message: 'Invalid email or password', code: 'INVALID_EMAIL_OR_PASSWORD' }, 401);
      }
      return signIn();
    }),

    http.get(`${api}/token`, async ({ request, cookies }) => {
      const session = sessionOf(request, cookies);
      const answer = session
        ? json({ token: await jwt.sign({ ...publicUser, sub: user.id, iss: baseUrl, aud: baseUrl }, JWT_TTL) })
        : unauthorized();
      refreshStatuses.push(answer.status);
      return answer;
    }),
    http.post(`${api}/token`, () => new HttpResponse(null, { status: 404 })),

    http.post(`${api}/sign-out`, ({ request, cookies }) => {
      const session = sessionOf(request, cookies);
      if (session) sessions.delete(session.token);
      return json({ success: true }, 200, cleared);
    }),

    http.post(`${api}/revoke-sessions`, ({ request, cookies }) => {
      const session = sessionOf(request, cookies);
      if (!session) return unauthorized();
      for (const [token, { userId }] of sessions) if (userId === session.userId) sessions.delete(token);
      return json({ status: true }, 200, cleared);
    }),

    // The app's own API, which trusts better-auth's JWTs.
    http.get(`${baseUrl}/api/orders`, async ({ request }) => {
      const claims = await jwt.verify(bearerOf(request));
      if (!claims) return json({ error: 'invalid_token' }, 401);
      return json({ orders: [], email: claims['email'] });
    }),
  ];

  return {
    handlers,
    clock,
    protectedUrl: `${baseUrl}/api/orders`,
    refreshStatuses,
    liveSessions: () => [...sessions.values()].filter(({ expiresAt }) => expiresAt > clock.now()).length,
    otherDevice: async () => void signIn(),
  };
}
