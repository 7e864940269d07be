// Directus (v10, v11) as its REST auth endpoints answer, refresh token in cookie mode:
//   POST /auth/login   { email, password, mode: 'cookie' } → 200 { data: { access_token, expires } }
//                       + Set-Cookie directus_refresh_token (httpOnly); `expires` is in milliseconds
//   POST /auth/refresh { mode: 'cookie' } → the same, the cookie rotated; no cookie → 400
//                       INVALID_PAYLOAD; an unknown or expired one → 401 INVALID_CREDENTIALS
//   POST /auth/logout  { mode: 'cookie' } → 204, cookie cleared; no cookie → 400
//   Any route with an invalid or expired bearer → 401 INVALID_TOKEN / TOKEN_EXPIRED, auth routes
//   included (Directus authenticates every request before routing it).
//   Errors: { errors: [{ message, extensions: { code } }] }.
import { http, HttpResponse } from 'msw';
import type { RecipeMock } from './scenarios';
import { ALICE, bearerOf, browserCookie, json, jsonBody, jwtKeys, opaque, serverClock } from './support';

const COOKIE = 'directus_refresh_token';
const ACCESS_TOKEN_TTL = 900; // ACCESS_TOKEN_TTL: 15m
const REFRESH_TOKEN_TTL = 7 * 24 * 3600; // REFRESH_TOKEN_TTL: 7d

const error = (status: number, code: string, message: string) => json({ errors: [{ message, extensions: { code } }] }, status);
const setCookie = (value: string, maxAge: number) => `${COOKIE}=${value}; Max-Age=${maxAge}; Path=/; HttpOnly; Secure; SameSite=Lax`;

export function createDirectusMock(baseUrl: string, user = ALICE): RecipeMock {
  const clock = serverClock();
  const jwt = jwtKeys(clock);
  /** directus_sessions: refresh token → expiry. */
  const sessions = new Map<string, number>();
  const refreshStatuses: number[] = [];

  const startSession = async () => {
    const token = opaque(32);
    sessions.set(token, clock.now() + REFRESH_TOKEN_TTL * 1000);
    const claims = { id: user.id, role: 'b9a3b1f0', app_access: true, admin_access: false, session: token.slice(0, 16), iss: 'directus' };
    return { token, data: { access_token: await jwt.sign(claims, ACCESS_TOKEN_TTL), expires: ACCESS_TOKEN_TTL * 1000 } };
  };

  /** Directus's authenticate middleware: a bearer that is present must be valid, on every route. */
  const authenticate = async (request: Request) => {
    const token = bearerOf(request);
    if (!token) return { claims: null, refusal: null };
    const claims = await jwt.verify(token);
    if (claims) return { claims, refusal: null };
    return { claims: null, refusal: error(401, 'TOKEN_EXPIRED', 'Token expired.') };
  };

  const presented = (request: Request, cookies: Record<string, string>, body: Record<string, unknown>) =>
    (body['mode'] ?? (body['refresh_token'] ? 'json' : 'cookie')) === 'json'
      ? (body['refresh_token'] as string | undefined)
      : browserCookie(request, cookies, COOKIE);
  const missing = () =>
    error(400, 'INVALID_PAYLOAD', 'Invalid payload. The refresh token is required in either the payload or cookie.');

  const handlers = [
    http.post(`${baseUrl}/auth/login`, async ({ request }) => {
      const refused = (await authenticate(request)).refusal;
      if (refused) return refused;
      const body = await jsonBody(request);
      if (typeof body['email'] !== 'string' || typeof body['password'] !== 'string') {
        return error(400, 'INVALID_PAYLOAD', 'Invalid payload. "email" is required.');
      }
      if (body['email'] !== user.email || body['password'] !== user.password) {
        return error(401, 'INVALID_CREDENTIALS', 'Invalid user credentials.');
      }
      const { token, data } = await startSession();
      if (body['mode'] === 'cookie') return json({ data }, 200, [setCookie(token, REFRESH_TOKEN_TTL)]);
      return json({ data: { ...data, refresh_token: token } });
    }),

    http.post(`${baseUrl}/auth/refresh`, async ({ request, cookies }) => {
      const answer = await (async () => {
        const refused = (await authenticate(request)).refusal;
        if (refused) return refused;
        const body = await jsonBody(request);
        const current = presented(request, cookies, body);
        if (!current) return missing();
        const expires = sessions.get(current);
        sessions.delete(current);
        if (!expires || expires < clock.now()) return error(401, 'INVALID_CREDENTIALS', 'Invalid user credentials.');
        const { token, data } = await startSession();
        return json({ data }, 200, [setCookie(token, REFRESH_TOKEN_TTL)]);
      })();
      refreshStatuses.push(answer.status);
      return answer;
    }),

    http.post(`${baseUrl}/auth/logout`, async ({ request, cookies }) => {
      const refused = (await authenticate(request)).refusal;
      if (refused) return refused;
      const current = presented(request, cookies, await jsonBody(request));
      if (!current) return missing();
      sessions.delete(current);
      return new HttpResponse(null, { status: 204, headers: { 'Set-Cookie': setCookie('', 0) } });
    }),

    http.get(`${baseUrl}/users/me`, async ({ request }) => {
      const { claims, refusal } = await authenticate(request);
      if (refusal) return refusal;
      // The public role may not read users.
      if (!claims) return error(403, 'FORBIDDEN', "You don't have permission to access this.");
      return json({ data: { id: user.id, email: user.email, first_name: user.name } });
    }),
  ];

  return {
    handlers,
    clock,
    protectedUrl: `${baseUrl}/users/me`,
    refreshStatuses,
    liveSessions: () => [...sessions.values()].filter((expires) => expires > clock.now()).length,
    otherDevice: async () => void (await startSession()),
  };
}
