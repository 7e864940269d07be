import { getCurrentInstance, getCurrentScope, hasInjectionContext, inject, onBeforeMount, onScopeDispose, shallowReadonly, shallowRef } from 'vue';
import type { InjectionKey, Plugin, Ref } from 'vue';
import type { AuthClient, AuthState, AuthStatus, AuthUser } from './types';

/** Where {@link createAuthPlugin} provides the client: `inject(authClientKey)` to reach it yourself. */
export const authClientKey: InjectionKey<AuthClient<unknown>> = Symbol('tokenkeeper');

/** What {@link useAuth} returns: the state as readonly refs, and the client's methods. */
export interface UseAuthReturn<TUser = AuthUser>
  extends Pick<AuthClient<TUser>, 'login' | 'logout' | 'register' | 'authFetch' | 'getAccessToken'> {
  readonly status: Readonly<Ref<AuthStatus>>;
  readonly user: Readonly<Ref<TUser | null>>;
  readonly expiresAt: Readonly<Ref<number | null>>;
}

/**
 * A Vue plugin that provides `client` to {@link useAuth} in every component of the app.
 * @example
 * createApp(App).use(createAuthPlugin(auth)).mount('#app');
 */
export function createAuthPlugin<TUser = AuthUser>(client: AuthClient<TUser>): Plugin {
  return { install: (app) => void app.provide(authClientKey, client) };
}

/**
 * The session as readonly refs, kept current from `client.subscribe`, plus the client's methods.
 * Call it in `setup()` or inside an `effectScope()`: it unsubscribes when that scope is disposed
 * (outside any scope it stays subscribed until `client.dispose()`). In a component it subscribes
 * when the component mounts, so server rendering, which never mounts, renders `getState()` and
 * leaves no subscription behind. Without the plugin, pass the client (e.g. in a scope that has
 * no app); otherwise it throws.
 * @example
 * const { status, user, logout } = useAuth<MyUser>();
 * const greeting = computed(() => (status.value === 'authenticated' ? `Hi ${user.value?.name}` : 'Sign in'));
 */
export function useAuth<TUser = AuthUser>(client?: AuthClient<TUser>): UseAuthReturn<TUser> {
  const auth = client ?? ((hasInjectionContext() ? inject(authClientKey, null) : null) as AuthClient<TUser> | null);
  if (!auth) throw new Error('tokenkeeper/vue: useAuth() needs app.use(createAuthPlugin(auth)), or the client as its argument');
  // One ref per field: a refresh changes only expiresAt, so views of status and user do not re-run.
  const refs = { status: shallowRef<AuthStatus>('unknown'), user: shallowRef<TUser | null>(null), expiresAt: shallowRef<number | null>(null) };
  const assign = (state: AuthState<TUser>) => {
    refs.status.value = state.status;
    refs.user.value = state.user;
    refs.expiresAt.value = state.expiresAt;
  };
  assign(auth.getState());
  const subscribe = () => {
    assign(auth.getState()); // whatever changed since setup
    const unsubscribe = auth.subscribe(assign);
    if (getCurrentScope()) onScopeDispose(unsubscribe);
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
    login: (credentials) => auth.login(credentials),
    logout: (options) => auth.logout(options),
    register: (fields) => auth.register(fields),
    authFetch: (input, init) => auth.authFetch(input, init),
    getAccessToken: () => auth.getAccessToken(),
  };
}
