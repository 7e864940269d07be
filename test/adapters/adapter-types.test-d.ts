// Type-level tests for the adapters, checked by `npm run typecheck`: the user type given to
// createAuthClient<MyUser>() reaches the hooks, the guard and the router without a cast.
import { createElement } from 'react';
import { expectTypeOf } from 'vitest';
import { createRouter, createMemoryHistory } from 'vue-router';
import { createAuthClient, type AuthError } from 'tokenkeeper';
import { AuthProvider, RequireAuth, safeReturnTo, useAuth as useReactAuth } from 'tokenkeeper/react';
import { createAuthGuard, createAuthPlugin, useAuth as useVueAuth } from 'tokenkeeper/vue';

interface MyUser {
  id: string;
  email: string;
  name: string;
}
const auth = createAuthClient<MyUser>({ baseUrl: 'https://api.example.com' });

// React: the client given to useAuth types everything it returns.
const react = useReactAuth(auth);
expectTypeOf(react.user).toEqualTypeOf<MyUser | null>();
expectTypeOf(react.error).toEqualTypeOf<AuthError | null>();
expectTypeOf(react.restore).toEqualTypeOf<() => Promise<void>>();
expectTypeOf(react.getAccessToken).toEqualTypeOf<() => Promise<string | null>>();
expectTypeOf(react.login).returns.resolves.toHaveProperty('user').toEqualTypeOf<MyUser | null>();
expectTypeOf(react.verifyMfa).parameter(0).toEqualTypeOf<{ mfaToken: string; code: string }>();
expectTypeOf(react.verifyMfa).returns.resolves.toHaveProperty('user').toEqualTypeOf<MyUser | null>();
expectTypeOf(useReactAuth<MyUser>().user).toEqualTypeOf<MyUser | null>();
createElement(AuthProvider<MyUser>, { client: auth, restore: false });
createElement(RequireAuth, { fallback: 'loading', anonymous: null });
// @ts-expect-error: restore is a boolean
createElement(AuthProvider<MyUser>, { client: auth, restore: 'yes' });

// Vue: the same through the refs.
const vue = useVueAuth(auth);
expectTypeOf(vue.user.value).toEqualTypeOf<MyUser | null>();
expectTypeOf(vue.error.value).toEqualTypeOf<AuthError | null>();
expectTypeOf(vue.restore).toEqualTypeOf<() => Promise<void>>();
expectTypeOf(vue.verifyMfa).returns.resolves.toHaveProperty('user').toEqualTypeOf<MyUser | null>();
createAuthPlugin(auth, { restore: false });
// @ts-expect-error: the refs are readonly
vue.user.value = null;

// The guard is a vue-router beforeEach guard, without vue-router in tokenkeeper's types.
const router = createRouter({ history: createMemoryHistory(), routes: [] });
router.beforeEach(createAuthGuard(auth));
router.beforeEach(createAuthGuard(auth, { loginRoute: '/sign-in' }));
expectTypeOf(safeReturnTo(router.currentRoute.value.query['returnTo'])).toEqualTypeOf<string>();
