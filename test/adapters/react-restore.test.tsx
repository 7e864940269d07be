import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { HttpResponse } from 'msw';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthProvider, useAuth } from 'tokenkeeper/react';
import { setupAdapterWorld } from './adapter-world';
import { USER } from '../support/world';

// <AuthProvider> restores the session on mount, once per client, and useAuth() reports a failed restore.
const world = setupAdapterWorld();
const { aTurnLater, failed, failRefreshes, refreshCalls, refreshesSent, signedInBefore } = world;
afterEach(cleanup);

/** What a page shows for each state, as the README's App does. */
function Page() {
  const { status, user, error, restore } = useAuth<{ name?: string }>();
  if (status === 'unknown') {
    return error ? (
      <p>
        <span data-testid="view">{`failed:${error.code}`}</span>
        <button onClick={() => void restore()}>Try again</button>
      </p>
    ) : (
      <p data-testid="view">loading</p>
    );
  }
  return <p data-testid="view">{status === 'authenticated' ? `hello:${user?.name}` : 'anonymous'}</p>;
}
const view = () => screen.getByTestId('view').textContent;
const shows = (text: string) => expect.poll(view).toBe(text);

describe('AuthProvider restores the session', () => {
  it('on mount, with one refresh for StrictMode and for remounts of the same client', async () => {
    await signedInBefore();
    const auth = world.client<{ name?: string }>();
    const app = () => (
      <StrictMode>
        <AuthProvider client={auth}>
          <Page />
        </AuthProvider>
      </StrictMode>
    );
    const first = render(app());
    expect(view()).toBe('loading');
    await shows('hello:Alice');
    first.unmount();
    render(app());
    render(app()); // a second provider with the same client, mounted at once
    await act(aTurnLater);

    expect(refreshesSent()).toBe(1);
    expect(world.auth.stats.refreshes).toBe(1);
    expect(world.auth.stats.rejectedRefreshes).toBe(0);
    expect(screen.getAllByTestId('view').map((node) => node.textContent)).toEqual(['hello:Alice', 'hello:Alice']);
  });

  it('settles to anonymous when the cookie is refused', async () => {
    const auth = world.client();
    render(<AuthProvider client={auth}><Page /></AuthProvider>);
    await shows('anonymous');
    expect(world.auth.stats.rejectedRefreshes).toBe(1);
  });

  it('reports a failed restore (5xx, then network) with the error, and the retry clears it', async () => {
    await signedInBefore();
    failRefreshes(() => HttpResponse.json({ error: 'down' }, { status: 503 }));
    const auth = world.client<{ name?: string }>();
    const first = render(<AuthProvider client={auth}><Page /></AuthProvider>);
    await shows('failed:server');
    expect(auth.getState().status).toBe('unknown');
    first.unmount();
    render(<AuthProvider client={auth}><Page /></AuthProvider>); // a remount shows the failure, it does not retry
    expect(view()).toBe('failed:server');
    await act(aTurnLater);
    expect([view(), refreshesSent(), failed.calls]).toEqual(['failed:server', 1, 1]);

    failRefreshes(() => HttpResponse.error());
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(view()).toBe('loading'); // the retry runs: the old failure is not shown
    await shows('failed:network');
    expect(failed.calls).toBe(2);

    world.server.resetHandlers(); // the server is back
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await shows('hello:Alice');
    expect(world.auth.stats.refreshes).toBe(1);
  });

  it('clears the error once the session is known another way (a login)', async () => {
    failRefreshes(() => HttpResponse.json({}, { status: 500 }));
    const auth = world.client<{ name?: string }>();
    render(<AuthProvider client={auth}><Page /></AuthProvider>);
    await shows('failed:server');
    world.server.resetHandlers();
    await act(() => auth.login(USER));
    await shows('hello:Alice');
  });

  it('shares one request between a retry and the restore in flight', async () => {
    await signedInBefore();
    const auth = world.client();
    let retry: () => Promise<void> = async () => {};
    function Grab() {
      retry = useAuth().restore;
      return null;
    }
    render(<AuthProvider client={auth}><Grab /></AuthProvider>);
    await act(() => Promise.all([retry(), retry()]));
    expect(refreshCalls()).toBe(1);
    expect(auth.getState().status).toBe('authenticated');
  });

  it('does not restore with restore={false}, nor a client that is already signed in', async () => {
    const idle = world.client();
    render(<AuthProvider client={idle} restore={false}><Page /></AuthProvider>);
    const signedIn = world.client<{ name?: string }>();
    await signedIn.login(USER);
    render(<AuthProvider client={signedIn}><Page /></AuthProvider>);
    await act(aTurnLater);

    expect(refreshesSent()).toBe(0);
    expect(refreshCalls()).toBe(0);
    expect(screen.getAllByTestId('view').map((node) => node.textContent)).toEqual(['loading', 'hello:Alice']);
  });

  it('hands out getAccessToken, and useAuth(client) works with the client given', async () => {
    const auth = world.client();
    await auth.login(USER);
    let token: string | null = null;
    function Token() {
      const { getAccessToken } = useAuth(auth); // no provider: the client is given
      void getAccessToken().then((value) => (token = value));
      return null;
    }
    render(<Token />);
    await expect.poll(() => token).toBe(await auth.getAccessToken());
  });
});
