import { useState, type FormEvent } from 'react';
import { isAuthError } from 'tokenkeeper';
import { useAuth } from 'tokenkeeper/react';
import { auth } from './auth';
import { codeUsedText } from './code-text'; // demo-only
import { story } from './story'; // demo-only

/** The login's second step: the code from the user's authenticator app, for the challenge `mfaToken`. */
export function MfaStep({ mfaToken, onRestart }: { mfaToken: string; onRestart: (why: string) => void }) {
  const { verifyMfa } = useAuth(auth);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setError(null);
    try {
      await verifyMfa({ mfaToken, code: String(new FormData(form).get('code')) });
    } catch (caught) {
      const code = isAuthError(caught) ? caught.code : null;
      // The challenge expired (5 minutes) or had too many wrong codes: back to the password.
      if (code === 'unauthorized') return onRestart('That sign-in expired. Please sign in again.');
      setError(code === 'invalid_credentials' ? 'Wrong code. Try the one your app shows now.' : 'Could not check the code. Try again.');
      if (code === 'invalid_credentials' && story.codeReplayed()) setError(codeUsedText()); // demo-only: the server said `reason: 'replayed'`
      form.reset();
    }
  }

  return (
    <main className="card narrow">
      <h1>Two-factor code</h1>
      <p className="hint">Your password was right. Now the 6-digit code from your authenticator app.</p>
      <p className="hint">Demo: the example server prints the current code in its log.</p> {/* demo-only */}
      <form onSubmit={onSubmit}>
        <label>
          Code <input name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required autoFocus />
        </label>
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit">Verify</button>
      </form>
    </main>
  );
}
