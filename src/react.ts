import { createContext, createElement, Fragment, useContext, useEffect, useMemo, useSyncExternalStore } from 'react';
import type { ReactElement, ReactNode } from 'react';
import type { AuthError } from './errors';
import { restorerFor, type Restorer } from './restorer';
import type { AuthClient, AuthState, AuthUser } from './types';

export { safeReturnTo } from './return-to';

/** The client's methods that {@link useAuth} hands out, bound once per client. */
export interface AuthActions<TUser = AuthUser>
  extends Pick<AuthClient<TUser>, 'login' | 'verifyMfa' | 'logout' | 'register' | 'authFetch' | 'getAccessToken'> {
  /** Restores the session again (the retry after a failed restore). Never rejects: watch `status` and `error`. */
  restore(): Promise<void>;
}
/** What {@link useAuth} returns: the session state, the last failed restore, and the actions. */
export interface UseAuthResult<TUser = AuthUser> extends AuthState<TUser>, AuthActions<TUser> {
  /** The last failed restore (network, timeout, 5xx) while the status is `unknown`; `null` once the session is known. */
  readonly error: AuthError | null;
}
/** Props of {@link AuthProvider}. */
export interface AuthProviderProps<TUser = AuthUser> {
  client: AuthClient<TUser>;
  /** Restore the session from the refresh cookie on mount, once per client. @default true */
  restore?: boolean | undefined;
  children?: ReactNode;
}
/** Props of {@link RequireAuth}. */
export interface RequireAuthProps {
  children?: ReactNode;
  /** Shown while the status is `unknown`. @default null */
  fallback?: ReactNode;
  /** Shown when signed out, e.g. `<Navigate to="/login" />`. @default null */
  anonymous?: ReactNode;
}

interface Bound<TUser> extends Pick<AuthClient<TUser>, 'subscribe' | 'getState'> {
  restorer: Restorer;
  actions: AuthActions<TUser>;
}
const AuthContext = createContext<AuthClient<unknown> | null>(null);
// The server never knows the session: the cookie is httpOnly and the token lives in the browser.
const serverState: AuthState<never> = Object.freeze({ status: 'unknown', user: null, expiresAt: null });
const getServerState = () => serverState;
const noError = () => null;
// Bound once per client, so the methods stay identical across renders and components.
const bindings = new WeakMap<object, Bound<unknown>>();

function useBound<TUser>(given?: AuthClient<TUser>): Bound<TUser> {
  const provided = useContext(AuthContext) as AuthClient<TUser> | null; // called always: hooks keep their order
  const client = given ?? provided;
  if (!client) throw new Error('tokenkeeper/react: useAuth() and useAuthFetch() must be used inside <AuthProvider client={auth}>');
  let bound = bindings.get(client) as Bound<TUser> | undefined;
  if (!bound) {
    const restorer = restorerFor(client);
    bound = {
      subscribe: (listener) => client.subscribe(listener),
      getState: () => client.getState(),
      restorer,
      actions: {
        login: (credentials) => client.login(credentials),
        verifyMfa: (challenge) => client.verifyMfa(challenge),
        logout: (options) => client.logout(options),
        register: (fields) => client.register(fields),
        authFetch: (input, init) => client.authFetch(input, init),
        getAccessToken: () => client.getAccessToken(),
        restore: () => restorer.run(),
      },
    };
    bindings.set(client, bound);
  }
  return bound;
}

/**
 * Makes `client` available to {@link useAuth} below it and, unless `restore={false}`, restores the
 * session from the refresh cookie when it mounts: once per client, however often it mounts
 * (StrictMode, remounts), and only while the status is `unknown`.
 * @example
 * createRoot(el).render(<AuthProvider client={auth}><App /></AuthProvider>);
 */
export function AuthProvider<TUser = AuthUser>({ client, restore = true, children }: AuthProviderProps<TUser>): ReactElement {
  useEffect(() => {
    if (restore) restorerFor(client).once();
  }, [client, restore]);
  return createElement(AuthContext.Provider, { value: client }, children);
}

/**
 * The session state, the last failed restore and the client's actions. Re-renders only when one
 * of them changes; the actions keep their identity. During server rendering (and hydration) the
 * status is `unknown`. Pass the client to type `user` from it (`createAuthClient<MyUser>()`);
 * otherwise it comes from the nearest {@link AuthProvider}, and this throws outside one.
 * @example
 * const { status, user, error, restore, logout } = useAuth(auth);
 * if (status === 'unknown') return error ? <button onClick={() => void restore()}>Retry</button> : <Spinner />;
 * return status === 'authenticated' ? <button onClick={() => logout()}>{user?.name}</button> : <Login />;
 * @example
 * // The second step of a login that rejected `mfa_required`: the code from the user's authenticator app.
 * const { login, verifyMfa } = useAuth(auth);
 * await verifyMfa({ mfaToken: error.mfaToken!, code });
 */
export function useAuth<TUser = AuthUser>(client?: AuthClient<TUser>): UseAuthResult<TUser> {
  const { subscribe, getState, restorer, actions } = useBound(client);
  const state = useSyncExternalStore(subscribe, getState, getServerState);
  const failure = useSyncExternalStore(restorer.subscribe, restorer.error, noError);
  const error = state.status === 'unknown' ? failure : null;
  // A new object only when something shown changed, so it can be an effect's dependency too.
  return useMemo(() => ({ status: state.status, user: state.user, expiresAt: state.expiresAt, error, ...actions }), [state, error, actions]);
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

/**
 * Renders `children` when signed in, `fallback` while the status is `unknown` and `anonymous`
 * when signed out; it re-renders as the session changes (a logout here or in another tab).
 * @example
 * <Route path="/account" element={<RequireAuth anonymous={<Navigate to="/login" />}><Account /></RequireAuth>} />
 */
export function RequireAuth({ children, fallback = null, anonymous = null }: RequireAuthProps): ReactElement {
  const { status } = useAuth();
  return createElement(Fragment, null, status === 'authenticated' ? children : status === 'unknown' ? fallback : anonymous);
}
