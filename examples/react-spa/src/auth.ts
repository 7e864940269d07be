// The app's one auth client, and a small log of what it reports, shown on the account page.
import { createAuthClient, type LogoutReason } from 'tokenkeeper';

// Same origin as the page: the demo server serves both the app and the auth API.
export const auth = createAuthClient({ baseUrl: location.origin });

export interface LogEntry {
  id: number;
  at: number;
  kind: 'login' | 'refresh' | 'logout' | 'error' | 'api';
  text: string;
}

let entries: readonly LogEntry[] = [];
const listeners = new Set<() => void>();

export const eventLog = {
  add(kind: LogEntry['kind'], text: string) {
    entries = [{ id: (entries[0]?.id ?? 0) + 1, at: Date.now(), kind, text }, ...entries].slice(0, 12);
    for (const listener of listeners) listener();
  },
  get: () => entries,
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  },
};

export const clockTime = (ms: number) => new Date(ms).toLocaleTimeString([], { hour12: false });

export const logoutReasons: Record<LogoutReason, string> = {
  user: 'You signed out.',
  remote: 'You signed out in another tab.',
  refresh_failed: 'Your session expired. Please sign in again.',
};

auth.on('login', ({ user }) => eventLog.add('login', `signed in as ${String(user?.['email'] ?? 'unknown user')}`));
auth.on('refresh', ({ expiresAt }) =>
  eventLog.add('refresh', `new access token${expiresAt ? `, valid until ${clockTime(expiresAt)}` : ''}`));
auth.on('logout', ({ reason }) => eventLog.add('logout', `signed out (${reason})`));
auth.on('error', ({ error }) => eventLog.add('error', `${error.code}: ${error.message}`));
