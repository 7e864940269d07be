// NocoDB as its auth controller and users service answer:
//   POST /api/v1/auth/user/signin { email, password } → 200 { token } + Set-Cookie refresh_token
//        (httpOnly, 7 days); the token is a JWT (10 h) sent back as `xc-auth: <token>`, no scheme.
//        A sign-in rotates the user's token_version and drops their other refresh tokens.
//        Wrong password → 400 { msg: 'Invalid credentials' }.
//   POST /api/v1/auth/token/refresh → 200 { token } + a rotated cookie; every refusal is a 400:
//        { msg: 'Missing refresh token' }, 'Invalid refresh token', 'Refresh token expired'.
//   POST /api/v1/auth/user/signout → 200 { msg: 'Signed out successfully' }, cookie cleared. Only a
//        valid xc-auth names the user whose refresh tokens are dropped; without one the guard lets
//        the call through as a guest and the server-side session survives.
//   Protected APIs (GET /api/v2/meta/bases, say) without a valid xc-auth → 401 { msg: 'Invalid token' }.
import { http } from 'msw';
import type { RecipeMock } from './scenarios';
import { ALICE, browserCookie, json, jsonBody, jwtKeys, opaque, serverClock } from './support';

const JWT_TTL = 10 * 3600; // NC_JWT_EXPIRES_IN: 10h
const REFRESH_TTL = 7 * 24 * 3600;

const setCookie = (value: string, maxAge: number) => `refresh_token=${value}; Max-Age=${maxAge}; Path=/; HttpOnly; Secure`;

export function createNocoDbMock(baseUrl: string, user = ALICE): RecipeMock {
  const clock = serverClock();
  const jwt = jwtKeys(clock);
  let tokenVersion = opaque(20);
  /** nc_user_refresh_tokens: token → expiry. */
  const refreshTokens = new Map<string, number>();
  const refreshStatuses: number[] = [];
  const api = `${baseUrl}/api/v1/auth`;

  const issue = () => jwt.sign({ email: user.email, firstname: user.name, id: user.id, roles: 'org-level-creator', token_version: tokenVersion }, JWT_TTL);
  const newRefreshToken = () => {
    const token = opaque(40);
    refreshTokens.set(token, clock.now() + REFRESH_TTL * 1000);
    return token;
  };
  /** The JWT strategy: a valid xc-auth whose token_version is the user's current one. */
  const signedIn = async (request: Request) => {
    const claims = await jwt.verify(request.headers.get('xc-auth'));
    return claims?.['token_version'] === tokenVersion ? claims : null;
  };
  const invalidToken = () => json({ msg: 'Invalid token' }, 401);

  const handlers = [
    http.post(`${api}/user/signin`, async ({ request }) => {
      const body = await jsonBody(request);
      if (body['email'] !== user.email || body['password'] !== user.password) return json({ msg: 'Invalid credentials' }, 400);
      tokenVersion = opaque(20);
      refreshTokens.clear();
      const refreshToken = newRefreshToken();
      return json({ token: await issue() }, 200, [setCookie(refreshToken, REFRESH_TTL)]);
    }),

    http.post(`${api}/token/refresh`, async ({ request, cookies }) => {
      const answer = await (async () => {
        const current = browserCookie(request, cookies, 'refresh_token');
        if (!current) return json({ msg: 'Missing refresh token' }, 400);
        const expires = refreshTokens.get(current);
        refreshTokens.delete(current);
        if (!expires) return json({ msg: 'Invalid refresh token' }, 400);
        if (expires < clock.now()) return json({ msg: 'Refresh token expired' }, 400);
        const refreshToken = newRefreshToken();
        return json({ token: await issue() }, 200, [setCookie(refreshToken, REFRESH_TTL)]);
      })();
      refreshStatuses.push(answer.status);
      return answer;
    }),

    http.post(`${api}/user/signout`, async ({ request }) => {
      if (await signedIn(request)) {
        tokenVersion = opaque(20);
        refreshTokens.clear();
      }
      return json({ msg: 'Signed out successfully' }, 200, [setCookie('', 0)]);
    }),

    http.get(`${baseUrl}/api/v2/meta/bases`, async ({ request }) => {
      if (!(await signedIn(request))) return invalidToken();
      return json({ list: [{ id: 'p1', title: 'Getting Started', owner: user.email }], pageInfo: { totalRows: 1 } });
    }),
  ];

  return {
    handlers,
    clock,
    protectedUrl: `${baseUrl}/api/v2/meta/bases`,
    refreshStatuses,
    liveSessions: () => [...refreshTokens.values()].filter((expires) => expires > clock.now()).length,
    otherDevice: async () => void newRefreshToken(),
  };
}
