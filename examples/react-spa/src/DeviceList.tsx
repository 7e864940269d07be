import { useEffect, useState } from 'react';
import { isAuthError } from 'tokenkeeper';
import { listSessions, revokeSession, type DeviceSession } from 'tokenkeeper/sessions';
import { auth } from './auth';
import { dateTime, deviceName } from './devices';

/** The devices this account is signed in on, each with a way to sign it out. */
export function DeviceList() {
  const [devices, setDevices] = useState<DeviceSession[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action?: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action?.();
      // Signing out this device was a logout: nothing is left to list.
      if (auth.getState().status === 'authenticated') setDevices(await listSessions(auth));
    } catch (failure) {
      setError(`Could not reach the devices (${isAuthError(failure) ? failure.code : String(failure)}).`);
    } finally {
      setBusy(false);
    }
  }
  useEffect(() => void run(), []);

  return (
    <section className="card">
      <div className="row">
        <h2>Signed-in devices</h2>
        <button className="secondary" disabled={busy} onClick={() => void run()}>Refresh list</button>
      </div>
      <ul className="devices">
        {devices?.map((device) => (
          <li key={device.id} data-testid="device" data-current={device.current}>
            <div>
              <strong>{deviceName(device.userAgent)}</strong>
              {device.current && <span className="badge">This device</span>}
              <div className="muted">
                signed in {dateTime(device.createdAt)} · last used {dateTime(device.lastUsedAt)}
              </div>
              {device.userAgent && <div className="hint ua">{device.userAgent}</div>}
            </div>
            {/* Signing out the current device is a logout(): the page goes to the login. */}
            <button className="danger" disabled={busy} onClick={() => void run(() => revokeSession(auth, device.id))}>
              Sign out this device
            </button>
          </li>
        ))}
      </ul>
      {error && <p className="error" role="alert">{error}</p>}
      <p className="hint">
        Another device signed out here keeps its access token until its next refresh (at most its lifetime), then its
        session ends with <code>refresh_failed</code>.
      </p>
    </section>
  );
}
