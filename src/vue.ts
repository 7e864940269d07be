import { getCurrentInstance, getCurrentScope, hasInjectionContext, inject, onBeforeMount, onScopeDispose, shallowReadonly, shallowRef } from 'vue';
import type { App, InjectionKey, Plugin, Ref } from 'vue';
import type { AuthError } from './errors';
import { restorerFor } from './restorer';
import type { AuthClient, AuthState, AuthStatus, AuthUser } from './types';

export { safeReturnTo } from './return-to';
export { createAuthGuard, type AuthGuardOptions, type GuardedRoute, type LoginRedirect } from './vue-guard';

/** Where {@link createAuthPlugin} provides the client: `inject(authClientKey)` to reach it yourself. */
export const authClientKey: InjectionKey<AuthClient<unknown>> = Symbol('tokenkeeper');

/** Options of {@link createAuthPlugin}. */
export interface AuthPluginOptions {
  /** Restore the session from the refresh cookie when the app mounts, once per client. @default true */
  restore?: boolean | undefined;
}

/** What {@link useAuth} returns: the state as readonly refs, the last failed restore, and the client's methods. */
export interface UseAuthReturn<TUser = AuthUser>
  extends Pick<AuthClient<TUser>, 'login' | 'verifyMfa' | 'logout' | 'register' | 'authFetch' | 'getAccessToken'> {
  readonly status: Readonly<Ref<AuthStatus>>;
  readonly user: Readonly<Ref<TUser | null>>;
  readonly expiresAt: Readonly<Ref<number | null>>;
  /** The last failed restore (network, timeout, 5xx) while the status is `unknown`; `null` once the session is known. */
  readonly error: Readonly<Ref<AuthError | null>>;
  /** Restores the session again (the retry after a failed restore). Never rejects: watch `status` and `error`. */
  restore(): Promise<void>;
}

/**
 * A Vue plugin that provides `client` to {@link useAuth} in every component of the app and, unless
 * `{ restore: false }`, restores the session from the refresh cookie when the app mounts (once per
 * client; server rendering never mounts, so it never restores on the server).
 * @example
 * createApp(App).use(createAuthPlugin(auth)).use(router).mount('#app');
 */
export function createAuthPlugin<TUser = AuthUser>(client: AuthClient<TUser>, { restore = true }: AuthPluginOptions = {}): Plugin {
  return {
    install(app: App) {
      app.provide(authClientKey, client);
      if (!restore) return;
      const mount = app.mount;
      app.mount = (...args) => {
        const root = mount(...args);
        restorerFor(client).once();
        return root;
      };
    },
  };
}

/**
 * The session as readonly refs, kept current from `client.subscribe`, plus the client's methods.
 * Call it in `setup()` or inside an `effectScope()`: it unsubscribes when that scope is disposed
 * (outside any scope it stays subscribed until `client.dispose()`). In a component it subscribes
 * when the component mounts, so server rendering, which never mounts, renders `getState()` and
 * leaves no subscription behind. Pass the client to type `user` from it (`createAuthClient<MyUser>()`),
 * or to use it without the plugin; otherwise it comes from the plugin, and this throws without one.
 * @example
 * const { status, user, error, restore, logout } = useAuth(auth);
 * const greeting = computed(() => (status.value === 'authenticated' ? `Hi ${user.value?.name}` : 'Sign in'));
 * @example
 * // The second step of a login that rejected `mfa_required`: the code from the user's authenticator app.
 * const { login, verifyMfa } = useAuth(auth);
 * await verifyMfa({ mfaToken: error.mfaToken!, code });
 */
export function useAuth<TUser = AuthUser>(client?: AuthClient<TUser>): UseAuthReturn<TUser> {
  const auth = client ?? ((hasInjectionContext() ? inject(authClientKey, null) : null) as AuthClient<TUser> | null);
  if (!auth) throw new Error('tokenkeeper/vue: useAuth() needs app.use(createAuthPlugin(auth)), or the client as its argument');
  const restorer = restorerFor(auth);
  // One ref per field: a refresh changes only expiresAt, so views of status and user do not re-run.
  const refs = {
    status: shallowRef<AuthStatus>('unknown'),
    user: shallowRef<TUser | null>(null),
    expiresAt: shallowRef<number | null>(null),
    error: shallowRef<AuthError | null>(null),
  };
  const assign = (state: AuthState<TUser> = auth.getState()) => {
    refs.status.value = state.status;
    refs.user.value = state.user;
    refs.expiresAt.value = state.expiresAt;
    refs.error.value = state.status === 'unknown' ? restorer.error() : null;
  };
  assign();
  const subscribe = () => {
    assign(); // whatever changed since setup
    const unsubscribe = [auth.subscribe(assign), restorer.subscribe(() => assign())];
    if (getCurrentScope()) onScopeDispose(() => unsubscribe.forEach((off) => off()));
  };
  // In a component, subscribe when it mounts: server rendering never mounts nor unmounts, so a
  // subscription from setup() would outlive every render. Elsewhere (an effectScope), at once.
  if (getCurrentInstance()) onBeforeMount(subscribe);
  else subscribe();
  return {
    // Shallow, so `user.value` is the client's own object rather than a proxy of it.
    status: shallowReadonly(refs.status),
    user: shallowReadonly(refs.user),
    expiresAt: shallowReadonly(refs.expiresAt),
    error: shallowReadonly(refs.error),
    login: (credentials) => auth.login(credentials),
    verifyMfa: (challenge) => auth.verifyMfa(challenge),
    logout: (options) => auth.logout(options),
    register: (fields) => auth.register(fields),
    authFetch: (input, init) => auth.authFetch(input, init),
    getAccessToken: () => auth.getAccessToken(),
    restore: () => restorer.run(),
  };
}
