import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { AuthError } from 'tokenkeeper';
import { API, setupWorld, USER } from '../support/world';

// Issue 8, property 8: no fragment of a token in an error, its cause, or an event.
const world = setupWorld();
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2VjcmV0LXNpZ25hdHVyZQ';

/** Every string an app might log about an error: message, stack and the whole cause chain. */
function everythingSaid(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { message?: unknown; stack?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    parts.push(String(e.message ?? ''), String(e.stack ?? ''), String(e));
  }
  return parts.join('\n');
}
const fragments = (token: string) => [token.slice(0, 10), token.slice(10, 20), token.split('.')[1]!.slice(0, 10)];

describe('a token endpoint that answers a bare token instead of JSON', () => {
  it.each(['login', 'refresh-token'])('%s: the error and its cause quote none of it', async (path) => {
    world.server.use(http.post(`${API}/auth/${path}`, () => new HttpResponse(TOKEN, { status: 200 })));
    const auth = world.client();
    const reported: AuthError[] = [];
    auth.on('error', ({ error }) => reported.push(error));

    const error = await (path === 'login' ? auth.login(USER) : auth.restore()).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'AuthError', code: 'invalid_response' });
    for (const said of [everythingSaid(error), ...reported.map(everythingSaid), JSON.stringify(auth.getState())]) {
      for (const fragment of fragments(TOKEN)) expect(said).not.toContain(fragment);
    }
  });

  it('a token with a space in it is refused without being quoted', async () => {
    const bad = `${TOKEN} injected`;
    world.server.use(http.post(`${API}/auth/login`, () => HttpResponse.json({ accessToken: bad, expiresIn: 60 })));
    const error = await world.client().login(USER).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_response' });
    for (const fragment of fragments(TOKEN)) expect(everythingSaid(error)).not.toContain(fragment);
  });
});
