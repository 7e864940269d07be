import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter, Navigate, Route, Routes, useLocation, useNavigate, useSearchParams } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthClient } from 'tokenkeeper';
import { AuthProvider, RequireAuth, safeReturnTo, useAuth } from 'tokenkeeper/react';
import { setupAdapterWorld } from './adapter-world';
import { USER } from '../support/world';

// <RequireAuth> with React Router: the round trip through the login page and back, as the README shows it.
const world = setupAdapterWorld();
afterEach(cleanup);

function ToLogin() {
  const { pathname, search } = useLocation();
  return <Navigate replace to={`/login?returnTo=${encodeURIComponent(pathname + search)}`} />;
}
function Login() {
  const { login } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const signIn = async () => {
    await login(USER);
    navigate(safeReturnTo(params.get('returnTo')), { replace: true });
  };
  return <button onClick={() => void signIn()}>Sign in</button>;
}
function Where() {
  const { pathname, search } = useLocation();
  return <output data-testid="where">{pathname + search}</output>;
}
function Account() {
  const { user, logout } = useAuth<{ name?: string }>();
  return <button onClick={() => void logout()}>{`Log out ${user?.name}`}</button>;
}

function app(auth: AuthClient, at: string) {
  return render(
    <AuthProvider client={auth}>
      <MemoryRouter initialEntries={[at]}>
        <Where />
        <Routes>
          <Route path="/login" element={<Login />} />
          <Route
            path="/account"
            element={<RequireAuth fallback={<p>Checking your session…</p>} anonymous={<ToLogin />}><Account /></RequireAuth>}
          />
          <Route path="*" element={<p>Home</p>} />
        </Routes>
      </MemoryRouter>
    </AuthProvider>,
  );
}
const where = () => screen.getByTestId('where').textContent;
const isAt = (path: string) => expect.poll(where).toBe(path);

describe('RequireAuth', () => {
  it('shows the fallback while restoring, then sends a signed-out visitor to log in and back', async () => {
    const answer = world.holdRefreshes();
    app(world.client(), '/account?tab=devices');
    expect(screen.getByText('Checking your session…')).toBeTruthy();
    expect(where()).toBe('/account?tab=devices');

    answer();
    await isAt(`/login?returnTo=${encodeURIComponent('/account?tab=devices')}`);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await isAt('/account?tab=devices');
    expect(screen.getByRole('button', { name: 'Log out Alice' })).toBeTruthy();
  });

  it('renders the children for a restored session, and leaves for the login page on logout', async () => {
    await world.signedInBefore();
    const auth = world.client();
    app(auth, '/account');
    await screen.findByRole('button', { name: 'Log out Alice' });
    expect(where()).toBe('/account');

    await act(() => auth.logout());
    await isAt('/login?returnTo=%2Faccount');
  });

  it('renders null by default for what it is not given', async () => {
    const auth = world.client();
    const { container } = render(
      <AuthProvider client={auth} restore={false}>
        <RequireAuth><p>secret</p></RequireAuth>
      </AuthProvider>,
    );
    expect(container.innerHTML).toBe('');
    await act(() => auth.restore()); // no cookie: anonymous
    expect(container.innerHTML).toBe('');
    await act(() => auth.login(USER));
    expect(container.innerHTML).toBe('<p>secret</p>');
  });

  it.each([
    ['//evil.com/phish', '/'],
    ['https://evil.com', '/'],
    ['/\\evil.com', '/'],
    ['javascript:alert(1)', '/'],
    ['/account?tab=devices#top', '/account?tab=devices'],
  ])('after login, returnTo=%s lands on %s', async (returnTo, landing) => {
    app(world.client(), `/login?returnTo=${encodeURIComponent(returnTo)}`);
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
    await isAt(landing);
  });
});
