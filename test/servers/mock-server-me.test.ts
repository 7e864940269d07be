// @vitest-environment node
import { SignJWT, UnsecuredJWT } from 'jose';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createAuthServer } from 'tokenkeeper/msw';
import { call, login as logIn, type Target } from './http.mjs';
import { START } from './mock-fixture';

// Its own server rather than useMockServer: it serves under a base path, which no other file needs.
const API = 'https://api.example.com/v1';
const target: Target = { url: API };
let clock = START;
const auth = createAuthServer({
  baseUrl: API,
  secret: 'me-test-secret',
  now: () => clock,
  users: [{ email: 'alice@example.com', password: 'wonderland', name: 'Alice' }],
});
const server = setupServer(...auth.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  clock = START;
});
afterEach(() => {
  server.resetHandlers();
  auth.reset();
});
afterAll(() => server.close());

async function login(): Promise<string> {
  const res = await logIn(target, 'alice@example.com', 'wonderland');
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** `GET /me` with exactly this Authorization header, well-formed or not. */
const me = (authorization?: string): Promise<Response> => call(target, 'GET', '/me', { headers: authorization ? { Authorization: authorization } : {} });

async function expectInvalidToken(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  expect(res.headers.get('WWW-Authenticate')).toBe('Bearer error="invalid_token"');
  expect(await res.json()).toEqual({ error: 'invalid_token' });
}

describe('GET /me', () => {
  test('answers the user for a valid access token', async () => {
    const res = await me(`Bearer ${await login()}`);

    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(await res.json()).toEqual({ user: { id: 'u1', email: 'alice@example.com', name: 'Alice' } });
  });

  test('answers 401 once the injected clock reaches exp', async () => {
    const token = await login();
    clock += 899_999;
    expect((await me(`Bearer ${token}`)).status).toBe(200);

    clock += 1;
    await expectInvalidToken(await me(`Bearer ${token}`));
  });

  test('answers 401 without a token or with another scheme', async () => {
    await expectInvalidToken(await me());
    await expectInvalidToken(await me(`Basic ${btoa('alice@example.com:wonderland')}`));
  });

  test('answers 401 to a tampered signature or payload', async () => {
    const [header, payload, signature] = (await login()).split('.') as [string, string, string];
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const forgedPayload = btoa(JSON.stringify({ sub: 'u1', email: 'alice@example.com', iat: 0, exp: 4_102_444_800 }))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');

    await expectInvalidToken(await me(`Bearer ${header}.${payload}.${flipped}`));
    await expectInvalidToken(await me(`Bearer ${header}.${forgedPayload}.${signature}`));
    await expectInvalidToken(await me(`Bearer ${header}.${payload}`));
  });

  test('answers 401 to tokens signed with another key or with alg "none"', async () => {
    const claims = { sub: 'u1', email: 'alice@example.com' };
    const otherKey = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(START / 1000)
      .setExpirationTime(START / 1000 + 900)
      .sign(new TextEncoder().encode('not-the-secret'));
    const unsigned = new UnsecuredJWT(claims)
      .setIssuedAt(START / 1000)
      .setExpirationTime(START / 1000 + 900)
      .encode();

    await expectInvalidToken(await me(`Bearer ${otherKey}`));
    await expectInvalidToken(await me(`Bearer ${unsigned}`));
  });

  test('accepts a token from issueTokens() without a login', async () => {
    const { accessToken, expiresIn } = await auth.issueTokens('alice@example.com');

    expect(expiresIn).toBe(900);
    expect((await me(`Bearer ${accessToken}`)).status).toBe(200);
    expect(auth.stats.logins).toBe(0);
    await expect(auth.issueTokens('nobody@example.com')).rejects.toThrow(/no user/);
  });
});
