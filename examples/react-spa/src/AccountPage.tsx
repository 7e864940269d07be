import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { isAuthError } from 'tokenkeeper';
import { useAuth } from 'tokenkeeper/react';
import { clockTime, eventLog } from './auth';

interface Me {
  user: { id: string; email: string; name: string };
  expiresAt: number;
}

export function AccountPage() {
  const { user, expiresAt, logout, authFetch } = useAuth();
  const log = useSyncExternalStore(eventLog.subscribe, eventLog.get);
  const [me, setMe] = useState<{ data: Me; loadedAt: number } | null>(null);
  const [busy, setBusy] = useState(false);

  /** Runs an API call through authFetch: it adds the token and, on a 401, refreshes and replays. */
  async function call(method: 'GET' | 'POST', path: string, signal?: AbortSignal) {
    setBusy(true);
    try {
      const response = await authFetch(path, { method, ...(signal ? { signal } : {}) });
      eventLog.add('api', `${method} ${path} → ${response.status}`);
      return response;
    } catch (error) {
      if (!signal?.aborted) eventLog.add('error', `${method} ${path} failed: ${isAuthError(error) ? error.code : String(error)}`);
      return null;
    } finally {
      setBusy(false);
    }
  }
  async function loadMe(signal?: AbortSignal) {
    const response = await call('GET', '/api/me', signal);
    if (response?.ok) setMe({ data: (await response.json()) as Me, loadedAt: Date.now() });
  }
  useEffect(() => {
    const controller = new AbortController();
    void loadMe(controller.signal);
    return () => controller.abort();
  }, []);

  return (
    <main className="stack">
      <section className="card">
        <div className="row">
          <h1>Hello, {String(user?.['name'] ?? user?.['email'] ?? 'there')}</h1>
          <button className="secondary" onClick={() => void logout()}>Log out</button>
        </div>
        <TimeLeft expiresAt={expiresAt} />
      </section>

      <section className="card">
        <div className="row">
          <h2>GET /api/me</h2>
          <span className="muted">{me ? `loaded at ${clockTime(me.loadedAt)}` : 'loading…'}</span>
        </div>
        {me && (
          <dl>
            <dt>Name</dt><dd>{me.data.user.name}</dd>
            <dt>Email</dt><dd data-testid="me-email">{me.data.user.email}</dd>
            <dt>User id</dt><dd><code>{me.data.user.id}</code></dd>
          </dl>
        )}
        <div className="actions">
          <button disabled={busy} onClick={() => void loadMe()}>Call /api/me</button>
          <button className="danger" disabled={busy} onClick={() => void call('POST', '/api/expire-access-tokens')}>
            Expire access token now
          </button>
        </div>
        <p className="hint">
          After “Expire”, the server rejects the current access token: the next call gets a 401, tokenkeeper
          refreshes once with the httpOnly cookie and replays the request. The page never notices.
        </p>
      </section>

      <section className="card">
        <h2>Events</h2>
        <ol className="log" data-testid="event-log">
          {log.map((entry) => (
            <li key={entry.id}>
              <time>{clockTime(entry.at)}</time>
              <span className={`tag ${entry.kind}`}>{entry.kind}</span>
              <span>{entry.text}</span>
            </li>
          ))}
        </ol>
      </section>
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
