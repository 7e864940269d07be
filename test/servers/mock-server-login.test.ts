// @vitest-environment node
// Node, because these tests read Set-Cookie and send Cookie headers, which a browser (and
// happy-dom) hide from scripts.
import { decodeJwt, jwtVerify } from 'jose';
import { describe, expect, test } from 'vitest';
import { call } from './http.mjs';
import { MOCK, useMockServer } from './mock-fixture';

const SECRET = 'login-test-secret';
const { auth, clock } = useMockServer({
  secret: SECRET,
  users: [{ email: 'alice@example.com', password: 'wonderland', name: 'Alice', role: 'admin' }],
});

/** A login with exactly this body, well-formed or not (http.mjs's `login` sends only good ones). */
const login = (body: unknown): Promise<Response> => call(MOCK, 'POST', '/auth/login', { body });

describe('POST /auth/login', () => {
  test('answers 200 with a signed access token, the profile and a refresh cookie', async () => {
    const res = await login({ email: 'alice@example.com', password: 'wonderland' });

    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = (await res.json()) as { accessToken: string; expiresIn: number; user: Record<string, unknown> };
    expect(body.expiresIn).toBe(900);
    expect(body.user).toEqual({ id: 'u1', email: 'alice@example.com', name: 'Alice', role: 'admin' });

    const { payload, protectedHeader } = await jwtVerify(body.accessToken, new TextEncoder().encode(SECRET), {
      currentDate: new Date(clock.now),
    });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: 'u1', email: 'alice@example.com', name: 'Alice', role: 'admin' });
    expect(payload.iat).toBe(clock.now / 1000);
    expect(payload.exp).toBe(clock.now / 1000 + 900);
    expect(payload.jti).toEqual(expect.any(String));
    expect(payload).not.toHaveProperty('password');
  });

  test('sets the refresh token as an HttpOnly, Secure, SameSite=Strict cookie scoped to /auth', async () => {
    const res = await login({ email: 'alice@example.com', password: 'wonderland' });
    const [cookie] = res.headers.getSetCookie();

    expect(cookie).toMatch(/^tk_refresh=[A-Za-z0-9_-]{43,};/);
    const attributes = cookie!.split(/;\s*/).slice(1);
    expect(attributes).toEqual(
      expect.arrayContaining(['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/auth', 'Max-Age=1209600']),
    );
  });

  test('gives each login a distinct token id and refresh token', async () => {
    const a = await login({ email: 'alice@example.com', password: 'wonderland' });
    const b = await login({ email: 'alice@example.com', password: 'wonderland' });
    const tokenA = ((await a.json()) as { accessToken: string }).accessToken;
    const tokenB = ((await b.json()) as { accessToken: string }).accessToken;

    expect(decodeJwt(tokenA).jti).not.toBe(decodeJwt(tokenB).jti);
    expect(a.headers.getSetCookie()[0]).not.toBe(b.headers.getSetCookie()[0]);
    expect(auth.stats.logins).toBe(2);
  });

  test('matches the email case-insensitively', async () => {
    const res = await login({ email: 'Alice@Example.com', password: 'wonderland' });
    expect(res.status).toBe(200);
  });

  test.each([
    ['a wrong password', { email: 'alice@example.com', password: 'looking-glass' }],
    ['an unknown email', { email: 'mallory@example.com', password: 'wonderland' }],
  ])('answers 401 invalid_credentials for %s, with no cookie', async (_, credentials) => {
    const res = await login(credentials);

    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_credentials' });
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(auth.stats.logins).toBe(0);
  });

  test.each([
    ['a body that is not JSON', 'email=alice@example.com'],
    ['an empty body', ''],
    ['a JSON array', '[]'],
    ['a missing password', { email: 'alice@example.com' }],
    ['a non-string password', { email: 'alice@example.com', password: 12345678 }],
  ])('answers 400 validation for %s', async (_, body) => {
    const res = await login(body);

    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'validation' });
  });
});
