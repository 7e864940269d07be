import { expect, it } from 'vitest';
import { createDjRestAuthMock } from './dj-rest-auth';
import { djRestAuth } from './dj-rest-auth.recipe';
import { describeRecipe } from './scenarios';
import { ALICE } from './support';

const recipe = describeRecipe({
  name: 'dj-rest-auth',
  create: (baseUrl) => createDjRestAuthMock(baseUrl),
  options: djRestAuth,
  user: ALICE,
  accessTokenTtl: 300,
  noCookieStatus: 401,
  wrongPassword: 'validation', // Django answers a wrong password with 400 non_field_errors
  emailOf: (body) => (body as { email: string }).email,
  everywhere: false,
  cookieOnlyLogout: true,
});

it("keeps login's user (pk, username, email) through refreshes that carry none", async () => {
  const auth = recipe.client();
  await auth.login(recipe.credentials);
  await auth.refresh();
  expect(auth.getState().user).toEqual({ pk: 1, username: 'alice', email: ALICE.email, first_name: ALICE.name, last_name: '' });
});
