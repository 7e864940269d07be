import { expect, it } from 'vitest';
import { createDirectusMock } from './directus';
import { directus } from './directus.recipe';
import { describeRecipe } from './scenarios';
import { ALICE } from './support';

const recipe = describeRecipe({
  name: 'directus',
  create: (baseUrl) => createDirectusMock(baseUrl),
  options: directus,
  user: ALICE,
  accessTokenTtl: 900,
  noCookieStatus: 400,
  wrongPassword: 'invalid_credentials',
  emailOf: (body) => (body as { data: { email: string } }).data.email,
  everywhere: false,
  cookieOnlyLogout: true,
});

it('expiry comes from `expires` (milliseconds), not a guess', async () => {
  const auth = recipe.client();
  const before = Date.now();
  const session = await auth.login(recipe.credentials);
  expect(session.expiresAt).toBeGreaterThanOrEqual(before + 899_000);
  expect(session.expiresAt).toBeLessThanOrEqual(Date.now() + 900_000);
});
