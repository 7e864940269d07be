import { act, cleanup, render, renderHook, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuthClient, AuthError, AuthState } from 'tokenkeeper';
import { generateTotp } from 'tokenkeeper/msw';
import { AuthProvider, useAuth, useAuthFetch } from 'tokenkeeper/react';
import { useSimulatedTabs } from '../support/tabs';
import { MFA_USER, setupWorld, USER } from '../support/world';

// tokenkeeper/react: one useSyncExternalStore over client.subscribe; renders exactly when the state changes.
// These tests drive the session themselves (restore={false}); react-restore.test.tsx covers the page-load restore.
const world = setupWorld();
/** Until the tabs heard every message sent so far. */
const { delivered: settle } = useSimulatedTabs();
afterEach(() => cleanup());

/** Renders the status and counts renders, so a test can tell a re-render from none. */
function mount(client: AuthClient) {
  const renders = { count: 0 };
  function Status() {
    const { status, user, expiresAt } = useAuth<{ name?: string }>();
    renders.count++;
    return <p data-testid="status">{`${status}|${user?.name ?? '-'}|${expiresAt ?? '-'}`}</p>;
  }
  render(<AuthProvider client={client} restore={false}><Status /></AuthProvider>);
  const shown = () => screen.getByTestId('status').textContent!.split('|');
  return { renders, status: () => shown()[0], user: () => shown()[1], expiresAt: () => shown()[2] };
}

const wrapperFor = (client: AuthClient) =>
  function Wrapper({ children }: { children: ReactNode }) {
    return <AuthProvider client={client} restore={false}>{children}</AuthProvider>;
  };

describe('tokenkeeper/react', () => {
  it('re-renders on login and on a refresh that moves expiresAt', async () => {
    const auth = world.client();
    const view = mount(auth);
    expect(view.status()).toBe('unknown');

    await act(() => auth.login(USER));
    expect([view.status(), view.user()]).toEqual(['authenticated', 'Alice']);
    expect(view.expiresAt()).toBe(String(auth.getState().expiresAt));
    const before = { renders: view.renders.count, expiresAt: view.expiresAt() };

    await new Promise((resolve) => setTimeout(resolve, 5)); // so the new expiry differs by the clock
    await act(() => auth.refresh());
    expect(view.expiresAt()).not.toBe(before.expiresAt);
    expect(view.expiresAt()).toBe(String(auth.getState().expiresAt));
    expect(view.renders.count).toBe(before.renders + 1);
  });

  it('re-renders on a logout the app did not ask for: refresh refused', async () => {
    const auth = world.client();
    const view = mount(auth);
    await act(() => auth.login(USER));
    world.auth.revokeAll();

    await act(() => auth.refresh().catch(() => {}));
    expect(view.status()).toBe('anonymous');
  });

  it('re-renders on a logout in another tab', async () => {
    const [here, there] = [world.client({ crossTab: true }), world.client({ crossTab: true })];
    await Promise.all([here.restore(), there.restore()]); // page load: both tabs listening
    const view = mount(here);
    await act(async () => {
      await there.login(USER);
      await settle();
    });
    expect(view.status()).toBe('authenticated');
    const reasons: string[] = [];
    here.onLogout(({ reason }) => reasons.push(reason));

    await act(async () => {
      await there.logout();
      await settle();
    });
    expect(view.status()).toBe('anonymous');
    expect(reasons).toEqual(['remote']);
  });

  it('does not re-render when nothing changed', async () => {
    const auth = world.client();
    await auth.login(USER);
    const listeners = new Set<(state: AuthState) => void>();
    const spied: AuthClient = {
      ...auth,
      subscribe(listener) {
        listeners.add(listener);
        const off = auth.subscribe(listener);
        return () => (listeners.delete(listener), off());
      },
    };
    const view = mount(spied);
    const rendered = view.renders.count;

    await act(async () => void (await spied.authFetch(world.echoUrl)).body?.cancel());
    act(() => listeners.forEach((listener) => listener(auth.getState()))); // a notification with the same state
    expect(listeners.size).toBe(1);
    expect(view.renders.count).toBe(rendered);
  });

  it('keeps the methods, and the result while the state stands, referentially stable', async () => {
    const auth = world.client();
    const { result, rerender } = renderHook(() => ({ auth: useAuth(), authFetch: useAuthFetch() }), { wrapper: wrapperFor(auth) });
    const first = result.current;
    rerender();
    expect(result.current.auth).toBe(first.auth);

    await act(() => auth.login(USER));
    const after = result.current;
    expect(after.auth).not.toBe(first.auth);
    for (const name of ['login', 'verifyMfa', 'logout', 'register', 'authFetch', 'getAccessToken', 'restore'] as const) expect(after.auth[name]).toBe(first.auth[name]);
    expect(after.authFetch).toBe(first.authFetch);
    expect(after.auth.authFetch).toBe(after.authFetch);

    const response = await after.authFetch(world.echoUrl); // the bound methods reach the client
    expect(response.status).toBe(200);
    await act(() => after.auth.logout());
    expect(result.current.auth.status).toBe('anonymous');
  });

  it('finishes a login that needs a second factor with verifyMfa, and re-renders signed in', async () => {
    const auth = world.client();
    const { result } = renderHook(() => useAuth<{ name?: string }>(), { wrapper: wrapperFor(auth) });
    const { totpSecret, ...credentials } = MFA_USER;
    const challenge = await result.current.login(credentials).then(() => null, (error: unknown) => error as AuthError);
    expect(challenge).toMatchObject({ code: 'mfa_required', mfaToken: expect.any(String) });
    expect(result.current.status).not.toBe('authenticated');

    const code = await generateTotp(totpSecret);
    await act(() => result.current.verifyMfa({ mfaToken: challenge!.mfaToken!, code }));
    expect([result.current.status, result.current.user?.name]).toEqual(['authenticated', MFA_USER.name]);
  });

  it('renders status unknown on the server, even for a signed-in client', async () => {
    const calls: string[] = [];
    const auth = world.client({ fetch: (input, init) => (calls.push(String(input)), fetch(input, init)) });
    await auth.login(USER);
    calls.length = 0;
    function Status() {
      return <p>{useAuth().status}</p>;
    }
    expect(renderToString(<AuthProvider client={auth}><Status /></AuthProvider>)).toBe('<p>unknown</p>');
    // A restore calls fetch within microtasks of starting: judged at the client, not at the
    // server, so no sleep has to outlast a loaded machine.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toEqual([]); // no restore on the server
    expect(world.auth.stats.refreshes + world.auth.stats.rejectedRefreshes).toBe(0);
  });

  it('throws a clear error outside an AuthProvider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {}); // React reports the render error too
    expect(() => renderHook(() => useAuth())).toThrow(/inside <AuthProvider client=\{auth\}>/);
    expect(() => renderHook(() => useAuthFetch())).toThrow(/AuthProvider/);
  });
});
