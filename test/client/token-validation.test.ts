import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, setupWorld, USER } from '../support/world';

// A token goes into a header: anything that could split or smuggle a header is refused.
const world = setupWorld();

describe('access token validation', () => {
  it.each([
    ['CR/LF', 'abc\r\nX-Evil: 1'],
    ['a space', 'abc def'],
    ['an empty string', ''],
    ['a non-ASCII character', 'tökén'],
    ['a number', 12345],
  ])('refuses a token with %s as invalid_response and sends nothing', async (_, accessToken) => {
    world.server.use(http.post(`${API}/auth/login`, () => HttpResponse.json({ accessToken, expiresIn: 60 })));
    const auth = world.client();
    const error = await auth.login(USER).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AuthError', code: 'invalid_response' });
    expect(String((error as Error).message)).not.toContain('abc');
    expect(auth.getState().status).toBe('unknown');
    await auth.authFetch(world.echoUrl);
    expect(world.seen.at(-1)?.authorization).toBeNull();
  });

  it('accepts snake_case fields and a numeric-string expires_in', async () => {
    world.server.use(http.post(`${API}/auth/login`, () => HttpResponse.json({ access_token: 'opaque.tok_en-1', expires_in: '120' })));
    const auth = world.client();
    const before = Date.now();
    const session = await auth.login(USER);
    expect(session.expiresAt).toBeGreaterThanOrEqual(before + 120_000);
    expect(await auth.getAccessToken()).toBe('opaque.tok_en-1');
  });

  it('a custom parseTokenResponse maps any body shape', async () => {
    world.server.use(http.post(`${API}/auth/login`, () => HttpResponse.json({ data: { jwt: 'custom-token', ttl: 60 } })));
    const auth = world.client({
      parseTokenResponse: (body) => {
        const { data } = body as { data: { jwt: string; ttl: number } };
        return { accessToken: data.jwt, expiresIn: data.ttl, user: { id: 'u9' } };
      },
    });
    expect(await auth.login(USER)).toMatchObject({ user: { id: 'u9' } });
    expect(await auth.getAccessToken()).toBe('custom-token');
  });

  it('a parser that throws gives invalid_response with the cause', async () => {
    const auth = world.client({
      parseTokenResponse: () => {
        throw new Error('unexpected shape');
      },
    });
    const error = await auth.login(USER).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_response' });
    expect((error as Error).cause).toMatchObject({ message: 'unexpected shape' });
  });
});
