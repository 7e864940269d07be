import { useEffect, useState, type FormEvent } from 'react';
import { failureText, qrCode, twoFactor, type Enrollment } from './two-factor';

/** Two-factor on or off: enrol (a QR code and the secret), confirm with a code; off again with a code. */
export function TwoFactor() {
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => void twoFactor.enabled().then(setEnabled, (failure: unknown) => setError(failureText(failure))), []);

  async function attempt(action: () => Promise<void>) {
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failureText(failure));
    }
  }
  /** Confirm (turn on) or disable with the code typed in the form. */
  const withCode = (change: (code: string) => Promise<void>, on: boolean) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    void attempt(async () => {
      await change(String(new FormData(form).get('code')));
      setEnabled(on);
      setEnrollment(null);
    }).finally(() => form.reset());
  };

  return (
    <section className="card">
      <div className="row">
        <h2>Two-factor authentication</h2>
        <span className="muted" data-testid="mfa-status">{enabled === null ? '…' : enabled ? 'on' : 'off'}</span>
      </div>
      {enabled === false && !enrollment && (
        <button onClick={() => void attempt(async () => setEnrollment(await twoFactor.enroll()))}>Enable two-factor</button>
      )}
      {enrollment && (
        <>
          <p className="hint">Scan this with an authenticator app, or type the secret into it. Then confirm with the code it shows.</p>
          <div className="qr" role="img" aria-label="QR code for your authenticator app" data-testid="mfa-qr" dangerouslySetInnerHTML={{ __html: qrCode(enrollment.otpauthUrl) }} />
          <p>Secret: <code data-testid="mfa-secret">{enrollment.secret}</code></p>
          <CodeForm onSubmit={withCode(twoFactor.confirm, true)} action="Turn on" />
        </>
      )}
      {enabled && (
        <>
          <p className="hint">Signing in asks for a code from your app. To turn this off, type a current code.</p>
          <CodeForm onSubmit={withCode(twoFactor.disable, false)} action="Disable two-factor" />
        </>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}

function CodeForm({ onSubmit, action }: { onSubmit: (event: FormEvent<HTMLFormElement>) => void; action: string }) {
  return (
    <form className="inline" onSubmit={onSubmit}>
      <label>
        Code <input name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required />
      </label>
      <button type="submit">{action}</button>
    </form>
  );
}
