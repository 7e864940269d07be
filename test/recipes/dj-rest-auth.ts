// Django REST framework with dj-rest-auth (4+) and SimpleJWT, refresh token in an httpOnly cookie:
//   REST_AUTH = { 'USE_JWT': True, 'JWT_AUTH_HTTPONLY': True, 'JWT_AUTH_REFRESH_COOKIE': 'refresh-token',
//                 'JWT_AUTH_RETURN_EXPIRATION': True, 'SESSION_LOGIN': False }
//   SIMPLE_JWT = { 'ROTATE_REFRESH_TOKENS': True, 'BLACKLIST_AFTER_ROTATION': True }, token_blacklist installed.
//   POST /dj-rest-auth/login/ { email, password } → 200 { access, refresh: '', user: { pk, username,
//        email, first_name, last_name }, access_expiration, refresh_expiration } + the refresh cookie;
//        wrong password → 400 { non_field_errors: ['Unable to log in with provided credentials.'] }
//   POST /dj-rest-auth/token/refresh/ → 200 { access, access_expiration } + a rotated cookie (the old
//        one blacklisted); no cookie → 401 { detail: 'No valid refresh token found.', code: 'token_not_valid' }
//   POST /dj-rest-auth/logout/ → 200 { detail: 'Successfully logged out.' }, the refresh token
//        blacklisted; no cookie → 401; an invalid or expired bearer → 401 (DRF authenticates first)
//   Access tokens: `Authorization: Bearer`, 5 minutes; refused with 401 { detail, code: 'token_not_valid' }.
import { http } from 'msw';
import type { RecipeMock } from './scenarios';
import { ALICE, bearerOf, browserCookie, json, jsonBody, jwtKeys, opaque, serverClock } from './support';

const COOKIE = 'refresh-token';
const ACCESS_TTL = 300;
const REFRESH_TTL = 24 * 3600;

const setCookie = (value: string, maxAge: number) =>
  `${COOKIE}=${value}; expires=${new Date(Date.now() + maxAge * 1000).toUTCString()}; HttpOnly; Max-Age=${maxAge}; Path=/; SameSite=Lax; Secure`;
const tokenNotValid = () =>
  json(
    {
      detail: 'Given token not valid for any token type',
      code: 'token_not_valid',
      messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid or expired' }],
    },
    401,
  );

export function createDjRestAuthMock(baseUrl: string, user = ALICE): RecipeMock {
  const clock = serverClock();
  const jwt = jwtKeys(clock);
  /** token_blacklist: outstanding refresh tokens by jti, and the blacklisted ones. */
  const outstanding = new Set<string>();
  const blacklisted = new Set<string>();
  const refreshStatuses: number[] = [];
  const api = `${baseUrl}/dj-rest-auth`;
  const iso = (seconds: number) => new Date(clock.now() + seconds * 1000).toISOString();

  const pair = async () => {
    const jti = opaque(16);
    outstanding.add(jti);
    return {
      access: await jwt.sign({ token_type: 'access', jti: opaque(16), user_id: 1 }, ACCESS_TTL),
      refresh: await jwt.sign({ token_type: 'refresh', jti, user_id: 1 }, REFRESH_TTL),
    };
  };
  /** The refresh token's jti when it is a live refresh token, else the refusal SimpleJWT gives. */
  const check = async (token: string): Promise<string | Response> => {
    const claims = await jwt.verify(token);
    const jti = claims?.['token_type'] === 'refresh' ? String(claims['jti']) : undefined;
    if (!jti) return json({ detail: 'Token is invalid or expired', code: 'token_not_valid' }, 401);
    if (blacklisted.has(jti)) return json({ detail: 'Token is blacklisted', code: 'token_not_valid' }, 401);
    return jti;
  };
  /** JWTCookieAuthentication: a bearer that is present must be a valid access token. */
  const authenticated = async (request: Request) => {
    const token = bearerOf(request);
    if (!token) return { user: false, refusal: null };
    const claims = await jwt.verify(token);
    return claims?.['token_type'] === 'access' ? { user: true, refusal: null } : { user: false, refusal: tokenNotValid() };
  };

  const handlers = [
    http.post(`${api}/login/`, async ({ request }) => {
      const body = await jsonBody(request);
      if (body['email'] !== user.email || body['password'] !== user.password) {
        return json({ non_field_errors: ['Unable to log in with provided credentials.'] }, 400);
      }
      const { access, refresh } = await pair();
      const profile = { pk: 1, username: 'alice', email: user.email, first_name: user.name, last_name: '' };
      const answer = { access, refresh: '', user: profile, access_expiration: iso(ACCESS_TTL), refresh_expiration: iso(REFRESH_TTL) };
      return json(answer, 200, [setCookie(refresh, REFRESH_TTL)]);
    }),

    http.post(`${api}/token/refresh/`, async ({ request, cookies }) => {
      const answer = await (async () => {
        const body = await jsonBody(request);
        const current = typeof body['refresh'] === 'string' && body['refresh'] !== '' ? body['refresh'] : browserCookie(request, cookies, COOKIE);
        if (!current) return json({ detail: 'No valid refresh token found.', code: 'token_not_valid' }, 401);
        const jti = await check(current);
        if (typeof jti !== 'string') return jti;
        blacklisted.add(jti); // BLACKLIST_AFTER_ROTATION
        const { access, refresh } = await pair();
        return json({ access, access_expiration: iso(ACCESS_TTL) }, 200, [setCookie(refresh, REFRESH_TTL)]);
      })();
      refreshStatuses.push(answer.status);
      return answer;
    }),

    http.post(`${api}/logout/`, async ({ request, cookies }) => {
      const refused = (await authenticated(request)).refusal;
      if (refused) return refused;
      const current = browserCookie(request, cookies, COOKIE);
      const cleared = [setCookie('', 0)];
      if (!current) return json({ detail: 'Refresh token was not included in cookie data.' }, 401, cleared);
      const jti = await check(current);
      if (typeof jti !== 'string') return json({ detail: 'Token is invalid or expired' }, 401, cleared);
      blacklisted.add(jti);
      return json({ detail: 'Successfully logged out.' }, 200, cleared);
    }),

    http.get(`${api}/user/`, async ({ request }) => {
      const { user: signedIn, refusal } = await authenticated(request);
      if (refusal) return refusal;
      if (!signedIn) return json({ detail: 'Authentication credentials were not provided.' }, 401);
      return json({ pk: 1, username: 'alice', email: user.email, first_name: user.name, last_name: '' });
    }),
  ];

  return {
    handlers,
    clock,
    protectedUrl: `${api}/user/`,
    refreshStatuses,
    liveSessions: () => [...outstanding].filter((jti) => !blacklisted.has(jti)).length,
    otherDevice: async () => void (await pair()),
  };
}
