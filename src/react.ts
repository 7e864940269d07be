import { createContext, createElement, useContext, useMemo, useSyncExternalStore, type ReactElement, type ReactNode } from 'react';
import type { AuthClient, AuthState, AuthUser } from './types';

/** The client's methods that {@link useAuth} hands out, bound once per client. */
export type AuthActions<TUser = AuthUser> = Pick<AuthClient<TUser>, 'login' | 'logout' | 'register' | 'authFetch'>;
/** What {@link useAuth} returns: the session state and the actions. */
export interface UseAuthResult<TUser = AuthUser> extends AuthState<TUser>, AuthActions<TUser> {}
/** Props of {@link AuthProvider}. */
export interface AuthProviderProps<TUser = AuthUser> {
  client: AuthClient<TUser>;
  children?: ReactNode;
}

interface Bound<TUser> extends Pick<AuthClient<TUser>, 'subscribe' | 'getState'> {
  actions: AuthActions<TUser>;
}
const AuthContext = createContext<AuthClient<unknown> | null>(null);
// The server never knows the session: the cookie is httpOnly and the token lives in the browser.
const serverState: AuthState<never> = Object.freeze({ status: 'unknown', user: null, expiresAt: null });
const getServerState = () => serverState;
// Bound once per client, so the methods stay identical across renders and components.
const boundMethods = new WeakMap<object, Bound<unknown>>();

function useBound<TUser>(): Bound<TUser> {
  const client = useContext(AuthContext) as AuthClient<TUser> | null;
  if (!client) throw new Error('tokenkeeper/react: useAuth() and useAuthFetch() must be used inside <AuthProvider client={auth}>');
  let bound = boundMethods.get(client) as Bound<TUser> | undefined;
  if (!bound) {
    bound = {
      subscribe: (listener) => client.subscribe(listener),
      getState: () => client.getState(),
      actions: {
        login: (credentials) => client.login(credentials),
        logout: (options) => client.logout(options),
        register: (fields) => client.register(fields),
        authFetch: (input, init) => client.authFetch(input, init),
      },
    };
    boundMethods.set(client, bound);
  }
  return bound;
}

/**
 * Makes `client` available to {@link useAuth} and {@link useAuthFetch} below it.
 * @example
 * createRoot(el).render(createElement(AuthProvider, { client: auth }, createElement(App)));
 * // in JSX: <AuthProvider client={auth}><App /></AuthProvider>
 */
export function AuthProvider<TUser = AuthUser>({ client, children }: AuthProviderProps<TUser>): ReactElement {
  return createElement(AuthContext.Provider, { value: client }, children);
}

/**
 * The session state and the client's actions. Re-renders only when the state changes; the actions
 * keep their identity, so effects that depend on them do not re-run. During server rendering
 * (and hydration) the status is `unknown`. Throws outside an {@link AuthProvider}.
 * @example
 * const { status, user, logout } = useAuth<MyUser>();
 * if (status === 'unknown') return null;
 * return status === 'authenticated' ? <button onClick={() => logout()}>{user?.name}</button> : <Login />;
 */
export function useAuth<TUser = AuthUser>(): UseAuthResult<TUser> {
  const { subscribe, getState, actions } = useBound<TUser>();
  const state = useSyncExternalStore(subscribe, getState, getServerState);
  // A new object only when the state changed, so it can be an effect's dependency too.
  return useMemo(() => ({ status: state.status, user: state.user, expiresAt: state.expiresAt, ...actions }), [state, actions]);
}

/**
 * The client's `authFetch`, stable across renders; using it never re-renders on state changes.
 * @example
 * const authFetch = useAuthFetch();
 * useEffect(() => void authFetch('/api/orders').then((r) => r.json()).then(setOrders), [authFetch]);
 */
export function useAuthFetch(): AuthClient['authFetch'] {
  return useBound().actions.authFetch;
}
