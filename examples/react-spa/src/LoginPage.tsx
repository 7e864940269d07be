import { useState, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { isAuthError } from 'tokenkeeper';
import { safeReturnTo, useAuth } from 'tokenkeeper/react';
import { auth } from './auth';
import { MfaStep } from './MfaStep';
import { DemoNotices } from './notices'; // demo-only

export function LoginPage() {
  const { status, login } = useAuth(auth);
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [mfaToken, setMfaToken] = useState<string | null>(null);

  // Signed in (here, or in another tab): back to where the guard found you. safeReturnTo accepts
  // only a path on this site, so a crafted link (?returnTo=https://evil.example) cannot send you away.
  if (status === 'authenticated') return <Navigate replace to={safeReturnTo(params.get('returnTo'), '/account')} />;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    try {
      await login({ email: form.get('email'), password: form.get('password') });
    } catch (caught) {
      // The password was right and the account has a second factor: ask for its code.
      if (isAuthError(caught) && caught.code === 'mfa_required' && caught.mfaToken) return setMfaToken(caught.mfaToken);
      const wrong = isAuthError(caught) && caught.code === 'invalid_credentials';
      setError(wrong ? 'Wrong email or password.' : 'Could not sign in. Try again.');
    }
  }

  /** The second step ran out (expired, too many wrong codes): back to the password, saying why. */
  function restart(why: string) {
    setMfaToken(null);
    setError(why);
  }

  if (mfaToken) return <MfaStep mfaToken={mfaToken} onRestart={restart} />;
  return (
    <main className="card narrow">
      <h1>Sign in</h1>
      <DemoNotices /> {/* demo-only */}
      <form onSubmit={onSubmit}>
        <label>
          Email <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
