import { transformSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { AuthError, isAuthError } from 'tokenkeeper';
import { API, setupWorld, USER } from '../support/world';

// Each AuthError code, produced by a real (mocked) answer from the auth server.
const world = setupWorld();

describe('AuthError codes', () => {
  it('invalid_credentials for a wrong password (401)', async () => {
    const error = await world.client().login({ ...USER, password: 'wrong-password' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ name: 'AuthError', code: 'invalid_credentials', status: 401 });
  });

  it('invalid_credentials for an unknown account answered 404', async () => {
    world.server.use(http.post(`${API}/auth/login`, () => HttpResponse.json({ error: 'no such user' }, { status: 404 })));
    await expect(world.client().login(USER)).rejects.toMatchObject({ code: 'invalid_credentials', status: 404 });
  });

  it('conflict when registering an existing email (409)', async () => {
    await expect(world.client().register(USER)).rejects.toMatchObject({ code: 'conflict', status: 409 });
  });

  it('validation for a 422 and a 400', async () => {
    await expect(world.client().register({ email: 'not-an-email', password: 'x' })).rejects.toMatchObject({
      code: 'validation',
      status: 422,
    });
    await expect(world.client().login({ email: 42 })).rejects.toMatchObject({ code: 'validation', status: 400 });
  });

  it('unauthorized for a refused refresh', async () => {
    await expect(world.client().refresh()).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
  });

  it('network when the auth server cannot be reached', async () => {
    world.server.use(http.post(`${API}/auth/login`, () => HttpResponse.error()));
    const error = await world.client().login(USER).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'network' });
    expect((error as AuthError).cause).toBeInstanceOf(TypeError);
  });

  it('timeout when the auth server does not answer in time', async () => {
    world.server.use(http.post(`${API}/auth/login`, () => new Promise<never>(() => {})));
    await expect(world.client({ timeout: 50 }).login(USER)).rejects.toMatchObject({ code: 'timeout' });
  });

  it('server for a 5xx', async () => {
    world.server.use(http.post(`${API}/auth/login`, () => new HttpResponse('<h1>Bad gateway</h1>', { status: 502 })));
    await expect(world.client().login(USER)).rejects.toMatchObject({ code: 'server', status: 502 });
  });

  it('invalid_response for a 2xx that is not JSON or has no token', async () => {
    world.server.use(http.post(`${API}/auth/login`, () => HttpResponse.html('<html>login page</html>')));
    await expect(world.client().login(USER)).rejects.toMatchObject({ code: 'invalid_response', status: 200 });
    world.server.use(http.post(`${API}/auth/login`, () => HttpResponse.json({ ok: true })));
    await expect(world.client().login(USER)).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('isAuthError recognises an AuthError thrown in another realm, where instanceof Error fails', () => {
    // The library's own errors module, run in a fresh node:vm context (as an iframe would hold it).
    const source = transformSync(readFileSync(join(import.meta.dirname, '../../src/errors.ts'), 'utf8'), {
      loader: 'ts',
      format: 'cjs',
    }).code;
    const realm = runInNewContext('({ module: { exports: {} } })') as { module: { exports: Record<string, unknown> } };
    runInNewContext(`(function (module, exports) {${source}\n})(module, module.exports)`, realm);
    const ForeignAuthError = realm.module.exports['AuthError'] as typeof AuthError;
    const foreign: unknown = runInNewContext('try { throw new E("network", "offline") } catch (e) { e }', { E: ForeignAuthError });

    expect(foreign).not.toBeInstanceOf(Error);
    expect(isAuthError(foreign)).toBe(true);
    const lookalike = runInNewContext('Object.assign(new Error("x"), { name: "AuthError" })') as unknown;
    expect(isAuthError(lookalike)).toBe(false); // no code: not one of ours
    expect(isAuthError({ name: 'AuthError', code: 'network', message: 'x' })).toBe(false); // not an Error at all
  });

  it('isAuthError also recognises an AuthError from another copy of the library', () => {
    const foreign = Object.assign(new Error('x'), { name: 'AuthError', code: 'network' });
    expect(isAuthError(foreign)).toBe(true);
    expect(isAuthError(new Error('x'))).toBe(false);
    expect(isAuthError(new AuthError('server', 'x'))).toBe(true);
  });
});
