import { useState, type FormEvent } from 'react';
import { isAuthError, type LogoutReason } from 'tokenkeeper';
import { useAuth } from 'tokenkeeper/react';
import { logoutReasons } from './auth';

const DEMO = { email: 'demo@example.com', password: 'demo-password' };

export function LoginPage({ reason }: { reason: string | null }) {
  const { login } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const notice = reason && Object.hasOwn(logoutReasons, reason) ? logoutReasons[reason as LogoutReason] : null;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await login({ email: form.get('email'), password: form.get('password') }); // the app re-renders as signed in
    } catch (caught) {
      setError(isAuthError(caught) && caught.code === 'invalid_credentials'
        ? 'Wrong email or password.'
        : `Could not sign in (${isAuthError(caught) ? caught.code : String(caught)}).`);
      setBusy(false);
    }
  }

  return (
    <main className="card narrow">
      <h1>Sign in</h1>
      {notice && <p className="notice">{notice}</p>}
      <form onSubmit={onSubmit}>
        <label>
          Email
          <input name="email" type="email" autoComplete="username" defaultValue={DEMO.email} required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" defaultValue={DEMO.password} required />
        </label>
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      <p className="hint">
        Demo user: <code>{DEMO.email}</code> / <code>{DEMO.password}</code>
      </p>
    </main>
  );
}
