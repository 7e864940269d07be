import { Navigate, Route, Routes, useLocation } from 'react-router';
import { RequireAuth, useAuth } from 'tokenkeeper/react';
import { AccountPage } from './AccountPage';
import { auth } from './auth';
import { LoginPage } from './LoginPage';

export function App() {
  const { status, error, restore } = useAuth(auth);

  if (status === 'unknown') {
    // The restore is running, or it failed: the server is down or unreachable (a 401 is not a failure).
    return error ? (
      <main className="card narrow" role="alert">
        <p>Could not reach the sign-in server ({error.code}).</p>
        <button onClick={() => void restore()}>Try again</button>
      </main>
    ) : (
      <main className="card narrow muted">Restoring your session…</main>
    );
  }
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/account" element={<RequireAuth anonymous={<ToLogin />}><AccountPage /></RequireAuth>} />
      <Route path="*" element={<Navigate replace to="/account" />} />
    </Routes>
  );
}

/** Signed out on a guarded page (never signed in, logged out here or in another tab): log in, then come back. */
function ToLogin() {
  const { pathname, search } = useLocation();
  return <Navigate replace to={`/login?returnTo=${encodeURIComponent(pathname + search)}`} />;
}
