import { useEffect, useState } from 'react';
import { useAuth } from 'tokenkeeper/react';
import { AccountPage } from './AccountPage';
import { auth } from './auth';
import { LoginPage } from './LoginPage';
import { navigate, useRoute } from './router';

export function App() {
  const { status } = useAuth();
  const { path, query } = useRoute();

  // However the session ends (here, in another tab, or a refused refresh): to the login page.
  useEffect(() => auth.onLogout(({ reason }) => navigate(`/login?reason=${reason}`)), []);

  // The URL follows the session: signed out means /login, signed in means anywhere else.
  const redirect =
    status === 'anonymous' && path !== '/login' ? '/login' : status === 'authenticated' && path === '/login' ? '/' : null;
  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">tokenkeeper</span>
        <span className="muted">React demo</span>
        <a className="switch" href="/vue/">Vue version →</a>
      </header>
      {status === 'unknown' ? (
        <Restoring />
      ) : status === 'authenticated' ? (
        <AccountPage />
      ) : (
        <LoginPage reason={query.get('reason')} />
      )}
    </div>
  );
}

/** On page load: turn the httpOnly refresh cookie (if any) back into a session. */
function Restoring() {
  const [failed, setFailed] = useState(false);
  const attempt = () => {
    setFailed(false);
    auth.restore().catch(() => setFailed(true)); // a 401 resolves null (anonymous); this is network/5xx
  };
  useEffect(attempt, []);
  return (
    <main className="card narrow">
      {failed ? (
        <>
          <p>Could not reach the auth server.</p>
          <button onClick={attempt}>Try again</button>
        </>
      ) : (
        <p className="muted">Restoring your session…</p>
      )}
    </main>
  );
}
