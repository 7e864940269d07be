// @vitest-environment node
// The password module is internal; it is tested directly because "never stored in plain" cannot
// be seen from outside the server.
import { describe, expect, test } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/msw/passwords';
import { call, login as logIn } from './http.mjs';
import { MOCK, useMockServer } from './mock-fixture';

describe('password hashing', () => {
  test('round-trips the right password and rejects others', async () => {
    const stored = await hashPassword('correct horse battery');

    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery!', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  test('stores a salted PBKDF2-SHA256 hash, never the password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');

    expect(a).toMatch(/^pbkdf2-sha256\$\d+\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toContain('correct horse');
    // A random salt per hash: equal passwords do not give equal hashes.
    expect(a).not.toBe(b);
  });

  test('rejects a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'plain-text-password')).toBe(false);
    expect(await verifyPassword('x', 'pbkdf2-sha256$0$AAAA$AAAA')).toBe(false);
  });
});

describe('the server exposes no password', () => {
  useMockServer({ users: [{ email: 'alice@example.com', password: 'wonderland' }] });

  test('in login, register, token claims or /me', async () => {
    const login = await logIn(MOCK, 'alice@example.com', 'wonderland');
    const register = await call(MOCK, 'POST', '/auth/register', { body: { email: 'bob@example.com', password: 'builder-123' } });
    const { accessToken } = (await login.clone().json()) as { accessToken: string };
    const me = await call(MOCK, 'GET', '/me', { token: accessToken });

    const everything = [
      await login.text(),
      await register.text(),
      await me.text(),
      atob(accessToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')),
    ].join('\n');
    expect(everything).not.toMatch(/password|wonderland|builder-123|pbkdf2/);
  });
});
