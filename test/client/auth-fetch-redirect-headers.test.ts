// @vitest-environment node
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, FOREIGN, setupWorld, USER } from '../support/world';

// Issue 17, property 3: platforms strip only `Authorization` on a cross-origin redirect. A token
// in any other header never follows a redirect: authFetch answers the redirect itself.
const world = setupWorld();

describe('a token in a header other than Authorization, and a redirect', () => {
  const landed: Array<Record<string, string>> = [];
  const redirectTo = (location: string) => {
    landed.length = 0;
    world.server.use(
      http.all(`${API}/api/files/1`, () => new HttpResponse(null, { status: 302, headers: { Location: location } })),
      http.all(`${FOREIGN}/cdn/*`, ({ request }) => {
        landed.push(Object.fromEntries(request.headers));
        return HttpResponse.json({ cdn: true });
      }),
      http.all(`${API}/api/files/1/`, ({ request }) => {
        landed.push(Object.fromEntries(request.headers));
        return HttpResponse.json({ same: true });
      }),
    );
  };

  it.each([
    ['X-Access-Token', { name: 'X-Access-Token', scheme: null }],
    ['xc-auth', { name: 'xc-auth', scheme: null }],
    ['a scheme of its own', { name: 'X-Api-Key', scheme: 'Token' }],
  ])('%s: a redirect to another origin is answered, not followed, and the token never reaches it', async (_name, tokenHeader) => {
    redirectTo(`${FOREIGN}/cdn/file-1`);
    const auth = world.client({ tokenHeader });
    await auth.login(USER);

    const response = await auth.authFetch(`${API}/api/files/1`);

    expect(landed).toEqual([]); // the foreign origin never saw the request, let alone the token
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe(`${FOREIGN}/cdn/file-1`);
  });

  it('the same holds for a Request object, and for a same-origin redirect', async () => {
    redirectTo(`${API}/api/files/1/`);
    const auth = world.client({ tokenHeader: { name: 'X-Access-Token', scheme: null } });
    await auth.login(USER);

    const response = await auth.authFetch(new Request(`${API}/api/files/1`));

    expect(response.status).toBe(302);
    expect(landed).toEqual([]);
  });

  it("a caller's own redirect mode is kept", async () => {
    redirectTo(`${FOREIGN}/cdn/file-1`);
    const auth = world.client({ tokenHeader: { name: 'X-Access-Token', scheme: null } });
    await auth.login(USER);

    await expect(auth.authFetch(`${API}/api/files/1`, { redirect: 'error' })).rejects.toThrow(TypeError);
    expect(landed).toEqual([]);
  });

  it('with Authorization (stripped by the platform), redirects are still followed', async () => {
    redirectTo(`${FOREIGN}/cdn/file-1`);
    const auth = world.client();
    await auth.login(USER);

    const response = await auth.authFetch(`${API}/api/files/1`);

    expect(await response.json()).toEqual({ cdn: true });
    expect(landed).toHaveLength(1);
    expect(landed[0]!['authorization']).toBeUndefined();
  });

  it('signed out, a request that carries no token follows redirects as fetch does', async () => {
    redirectTo(`${FOREIGN}/cdn/file-1`);
    const auth = world.client({ tokenHeader: { name: 'X-Access-Token', scheme: null } });

    const response = await auth.authFetch(`${API}/api/files/1`);

    expect(await response.json()).toEqual({ cdn: true });
  });
});
