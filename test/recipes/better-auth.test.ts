import { expect, it } from 'vitest';
import { createAuthClient } from 'tokenkeeper';
import { createBetterAuthMock } from './better-auth';
import { betterAuth } from './better-auth.recipe';
import { describeRecipe } from './scenarios';
import { ALICE } from './support';

const recipe = describeRecipe({
  name: 'better-auth',
  create: (baseUrl) => createBetterAuthMock(baseUrl),
  options: betterAuth,
  user: ALICE,
  accessTokenTtl: 900,
  noCookieStatus: 401,
  wrongPassword: 'invalid_credentials',
  emailOf: (body) => (body as { email: string }).email,
  everywhere: true,
  cookieOnlyLogout: true,
});

it("login takes one refresh to get the JWT, and keeps sign-in's user", async () => {
  const auth = recipe.client();
  const session = await auth.login(recipe.credentials);

  expect(recipe.mock.refreshStatuses).toEqual([200]);
  expect(session.user).toMatchObject({ id: ALICE.id, email: ALICE.email, name: ALICE.name });
  expect(session.expiresAt).toBeGreaterThan(Date.now() + 890_000);
});

it("(why method: 'GET') the default POST refresh is a 404 on better-auth", async () => {
  const auth = createAuthClient({ baseUrl: recipe.baseUrl, ...betterAuth, endpoints: { ...betterAuth.endpoints, refresh: '/api/auth/token' }, crossTab: false });
  await expect(auth.restore()).rejects.toMatchObject({ code: 'server', status: 404 });
  auth.dispose();
});
