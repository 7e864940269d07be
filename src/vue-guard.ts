import type { AuthClient, AuthStatus } from './types';

/** Options of {@link createAuthGuard}. */
export interface AuthGuardOptions {
  /** Where a signed-out visitor of a guarded route goes. @default '/login' */
  loginRoute?: string | undefined;
}
/** The part of vue-router's route location the guard reads. */
export interface GuardedRoute {
  readonly fullPath: string;
  readonly meta: Readonly<Record<PropertyKey, unknown>>;
}
/** The guard's redirect, a vue-router location: the login route, and the page to come back to. */
export interface LoginRedirect {
  path: string;
  query: { returnTo: string };
}

/** The status once it is no longer `unknown` (a restore, login or another tab settles it). */
const settled = (client: AuthClient<unknown>) =>
  new Promise<AuthStatus>((resolve) => {
    const { status } = client.getState();
    if (status !== 'unknown') return resolve(status);
    const off = client.subscribe((state) => {
      if (state.status !== 'unknown') resolve((off(), state.status));
    });
  });

/**
 * A vue-router `beforeEach` guard. A route with `meta.requiresAuth` (on it or a parent) waits for
 * the status to settle: while the page-load restore runs, and past a failed one until a retry
 * succeeds. Signed in, the navigation goes on; signed out, it goes to
 * `{ path: loginRoute, query: { returnTo: to.fullPath } }` (read it back with `safeReturnTo`).
 * vue-router is not a dependency: the guard only reads `to` and returns plain locations.
 * @example
 * const router = createRouter({ history: createWebHistory(), routes: [
 *   { path: '/account', component: Account, meta: { requiresAuth: true } },
 *   { path: '/login', component: Login },
 * ] });
 * router.beforeEach(createAuthGuard(auth));
 */
export function createAuthGuard(
  client: AuthClient<unknown>,
  { loginRoute = '/login' }: AuthGuardOptions = {},
): (to: GuardedRoute) => Promise<true | LoginRedirect> {
  return async (to) => {
    if (!to.meta['requiresAuth'] || (await settled(client)) === 'authenticated') return true;
    return { path: loginRoute, query: { returnTo: to.fullPath } };
  };
}
