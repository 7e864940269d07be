import { useEffect, useMemo, useState } from 'react';
import { isAuthError } from 'tokenkeeper';
import { useAuth } from 'tokenkeeper/react';
import { auth, type User } from './auth';
import { DeviceList } from './DeviceList';
import { EventLog } from './EventLog';
import { IdleBanner } from './IdleBanner';
import { clockTime } from './story';
import { TwoFactor } from './TwoFactor';

export function AccountPage() {
  const { user, expiresAt, logout, authFetch } = useAuth(auth);
  const [me, setMe] = useState<{ user: User; loadedAt: number } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** An API call through authFetch: it adds the token and, on a 401, refreshes once and replays. */
  async function call(method: 'GET' | 'POST', path: string, signal?: AbortSignal) {
    setBusy(true);
    setFailure(null); // a notice of the previous call's failure is stale now
    try {
      return await authFetch(path, { method, ...(signal ? { signal } : {}) });
    } catch (error) {
      if (!signal?.aborted) setFailure(`${method} ${path} failed: ${isAuthError(error) ? error.code : String(error)}`);
      return null;
    } finally {
      setBusy(false);
    }
  }
  async function loadMe(signal?: AbortSignal) {
    const response = await call('GET', '/api/me', signal);
    if (response?.ok) setMe({ user: ((await response.json()) as { user: User }).user, loadedAt: Date.now() });
  }
  useEffect(() => {
    const controller = new AbortController();
    void loadMe(controller.signal);
    return () => controller.abort();
  }, []);

  return (
    <main className="stack">
      <IdleBanner />
      <section className="card">
        <div className="row">
          <h1>Hello, {user?.name}</h1>
          <button className="secondary" onClick={() => void logout()}>Log out</button>
        </div>
        <TimeLeft expiresAt={expiresAt} />
        <p className="hint">
          <code>user</code> from <code>useAuth()</code>, the same after a reload:{' '}
          <code data-testid="user">{JSON.stringify(user)}</code>
        </p>
      </section>

      <section className="card">
        <div className="row">
          <h2>GET /api/me</h2>
          <span className="muted">{me ? `loaded at ${clockTime(me.loadedAt)}` : 'loading…'}</span>
        </div>
        {me && (
          <dl>
            <dt>Name</dt><dd>{me.user.name}</dd>
            <dt>Email</dt><dd data-testid="me-email">{me.user.email}</dd>
            <dt>User id</dt><dd><code>{me.user.id}</code></dd>
          </dl>
        )}
        {failure && <p className="error" role="alert">{failure}</p>}
        <div className="actions">
          <button disabled={busy} onClick={() => void loadMe()}>Call /api/me</button>
          <button className="danger" disabled={busy} onClick={() => void call('POST', '/api/expire-access-tokens')}>
            Expire access token now
          </button>
        </div>
        <p className="hint">
          After “Expire”, the server refuses the current access token: the next call gets a 401, tokenkeeper
          refreshes once with the httpOnly cookie and replays the request. The page never notices; the log does.
        </p>
      </section>

      <TwoFactor />
      <DeviceList />
      <EventLog />
    </main>
  );
}

/** Seconds until the access token expires, ticking; tokenkeeper renews it before it runs out. */
function TimeLeft({ expiresAt }: { expiresAt: number | null }) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const lifetime = useMemo(() => (expiresAt ? expiresAt - Date.now() : 0), [expiresAt]);
  if (!expiresAt) return <p className="muted">The access token has no known expiry.</p>;
  const left = Math.max(0, Math.min(lifetime, expiresAt - now)); // `now` may be up to a tick old
  return (
    <div className="time-left">
      <span>
        Access token expires in <strong data-testid="time-left">{Math.round(left / 1000)} s</strong>
        <span className="muted"> · renewed automatically before that</span>
      </span>
      <progress max={lifetime} value={left} />
    </div>
  );
}
