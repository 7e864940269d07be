// @vitest-environment node
import { decodeJwt } from 'jose';
import { describe, expect, test } from 'vitest';
import { call, login } from './http.mjs';
import { MOCK, useMockServer } from './mock-fixture';

const { auth } = useMockServer({ users: [{ email: 'alice@example.com', password: 'wonderland' }] });

/** A registration with exactly this body, well-formed or not. */
const register = (body: unknown): Promise<Response> => call(MOCK, 'POST', '/auth/register', { body });

describe('POST /auth/register', () => {
  test('answers 201 with a session, keeping profile fields and assigning the id', async () => {
    const res = await register({
      email: 'bob@example.com',
      password: 'builder-123',
      name: 'Bob',
      id: 'admin',
    });

    expect(res.status).toBe(201);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.getSetCookie()[0]).toMatch(/^tk_refresh=[^;]+; HttpOnly; Secure; SameSite=Strict; Path=\/auth;/);
    const body = (await res.json()) as { accessToken: string; expiresIn: number; user: Record<string, unknown> };
    // A client cannot pick its own id, and the password never comes back.
    expect(body.user).toEqual({ id: 'u2', email: 'bob@example.com', name: 'Bob' });
    expect(body.expiresIn).toBe(900);
    expect(decodeJwt(body.accessToken)).toMatchObject({ sub: 'u2', email: 'bob@example.com', name: 'Bob' });
    expect(auth.stats.registrations).toBe(1);
    expect(auth.stats.logins).toBe(0);
  });

  test('lets the new user log in with the chosen password', async () => {
    await register({ email: 'bob@example.com', password: 'builder-123' });

    expect((await login(MOCK, 'bob@example.com', 'builder-123')).status).toBe(200);
    expect((await login(MOCK, 'bob@example.com', 'builder-124')).status).toBe(401);
  });

  test.each([
    ['a seeded user', 'alice@example.com'],
    ['a seeded user, in other case', 'ALICE@example.com'],
  ])('answers 409 conflict for the email of %s', async (_, email) => {
    const res = await register({ email, password: 'password-1' });

    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: 'conflict' });
  });

  test('answers 409 conflict for an email registered before', async () => {
    expect((await register({ email: 'bob@example.com', password: 'builder-123' })).status).toBe(201);
    expect((await register({ email: 'bob@example.com', password: 'other-pass' })).status).toBe(409);
    expect(auth.stats.registrations).toBe(1);
  });

  test('lets only one of two concurrent registrations of an email win', async () => {
    const statuses = await Promise.all([
      register({ email: 'carol@example.com', password: 'password-1' }),
      register({ email: 'carol@example.com', password: 'password-2' }),
    ]).then((responses) => responses.map((res) => res.status).sort());

    expect(statuses).toEqual([201, 409]);
  });

  test.each([
    ['an email without @', { email: 'bob.example.com', password: 'builder-123' }],
    ['a password shorter than 8', { email: 'bob@example.com', password: 'short' }],
  ])('answers 422 validation for %s', async (_, body) => {
    const res = await register(body);

    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: 'validation' });
  });

  test.each([
    ['a body that is not JSON', '{"email":'],
    ['a missing email', { password: 'builder-123' }],
    ['a non-string email', { email: ['bob@example.com'], password: 'builder-123' }],
  ])('answers 400 validation for %s', async (_, body) => {
    const res = await register(body);

    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'validation' });
  });

  test('reset() forgets registered users and keeps seeded ones', async () => {
    await register({ email: 'bob@example.com', password: 'builder-123' });
    auth.reset();

    expect((await login(MOCK, 'bob@example.com', 'builder-123')).status).toBe(401);
    expect((await login(MOCK, 'alice@example.com', 'wonderland')).status).toBe(200);
    expect((await register({ email: 'bob@example.com', password: 'builder-123' })).status).toBe(201);
  });
});
