import { http, HttpResponse } from 'msw';
import { expect, it } from 'vitest';
import { createNocoDbMock } from './nocodb';
import { nocodb } from './nocodb.recipe';
import { describeRecipe } from './scenarios';
import { ALICE } from './support';

const recipe = describeRecipe({
  name: 'nocodb',
  create: (baseUrl) => createNocoDbMock(baseUrl),
  options: nocodb,
  user: ALICE,
  accessTokenTtl: 10 * 3600,
  noCookieStatus: 400,
  wrongPassword: 'validation', // NocoDB answers a wrong password with 400
  emailOf: (body) => (body as { list: { owner: string }[] }).list[0]?.owner,
  everywhere: true, // its sign-out drops every refresh token of the user
  cookieOnlyLogout: false, // sign-out needs a valid xc-auth to drop them
});

it('sends the bare token in xc-auth, and no Authorization header at all', async () => {
  const auth = recipe.client();
  await auth.login(recipe.credentials);
  const seen: (string | null)[][] = [];
  recipe.server.use(
    http.get(`${recipe.baseUrl}/api/v1/db/data/p1/orders`, ({ request }) => {
      seen.push([request.headers.get('xc-auth'), request.headers.get('authorization')]);
      return HttpResponse.json({ list: [] });
    }),
  );

  await auth.authFetch(`${recipe.baseUrl}/api/v1/db/data/p1/orders`);

  const [[xcAuth, authorization] = []] = seen;
  expect(xcAuth).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
  expect(authorization).toBeNull();
});

it('a caller who sets xc-auth (an API token) keeps it, and its 401 triggers no refresh', async () => {
  const auth = recipe.client();
  await auth.login(recipe.credentials);
  const before = recipe.mock.refreshStatuses.length;

  const response = await auth.authFetch(recipe.mock.protectedUrl, { headers: { 'xc-auth': 'not-a-session-token' } });

  expect(response.status).toBe(401);
  expect(recipe.mock.refreshStatuses.length).toBe(before);
});
