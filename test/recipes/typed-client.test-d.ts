// Issue 20: every recipe, spread into the Quick start's typed client, type-checks (checked by
// `npm run typecheck`). A recipe cannot know the app's `User`: its parser answers the server's
// user as it comes (`Record<string, unknown>`), and `createAuthClient<User>` is the app's word
// for its shape, as it is for the JWT's claims.
import { expectTypeOf } from 'vitest';
import { createAuthClient, type AuthState } from 'tokenkeeper';
import { betterAuth } from './better-auth.recipe';
import { directus } from './directus.recipe';
import { djRestAuth } from './dj-rest-auth.recipe';
import { nocodb } from './nocodb.recipe';

/** The Quick start's user: an interface, as an app declares it. */
interface User {
  id: string;
  email: string;
  name: string;
}

for (const recipe of [betterAuth, directus, djRestAuth, nocodb] as const) {
  const auth = createAuthClient<User>({ baseUrl: 'https://api.example.com', ...recipe });
  expectTypeOf(auth.getState()).toEqualTypeOf<AuthState<User>>();
}

// Each one by name too: a union of recipes could hide one that fails alone.
createAuthClient<User>({ baseUrl: '/', ...betterAuth });
createAuthClient<User>({ baseUrl: '/', ...directus });
createAuthClient<User>({ baseUrl: '/', ...djRestAuth });
createAuthClient<User>({ baseUrl: '/', ...nocodb });

// With resolveUser, the recipe's parser and the app's own mapping combine.
createAuthClient<User>({
  baseUrl: '/',
  ...djRestAuth,
  resolveUser: ({ claims, previous }) => previous ?? { id: String(claims?.['user_id']), email: '', name: '' },
});

// Without a type argument the client is as untyped as the server's answer.
expectTypeOf(createAuthClient({ baseUrl: '/', ...betterAuth }).getState().user).toEqualTypeOf<Record<string, unknown> | null>();

// A parser of the app's own still answers its user in the app's type, and a wrong one is caught.
createAuthClient<User>({
  baseUrl: '/',
  parseTokenResponse: (body) => ({ accessToken: String(body), user: { id: '1', email: 'a@example.com', name: 'A' } }),
});
// @ts-expect-error: a string is no user
createAuthClient<User>({ baseUrl: '/', parseTokenResponse: () => ({ accessToken: 'x', user: 'ada' }) });
// And a client without a type argument still takes its user type from such a parser.
const inferred = createAuthClient({ baseUrl: '/', parseTokenResponse: () => ({ accessToken: 'x', user: { id: 'a' } }) });
expectTypeOf(inferred.getState().user).toEqualTypeOf<{ id: string } | null>();
