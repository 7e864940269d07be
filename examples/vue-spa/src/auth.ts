// The app's one auth client, and a small log of what it reports.
import { reactive } from 'vue';
import { createAuthClient, type LogoutReason } from 'tokenkeeper';

// Same origin as the page: the demo server serves both the app and the auth API.
export const auth = createAuthClient({ baseUrl: location.origin });

export interface LogEntry {
  id: number;
  at: number;
  kind: 'login' | 'refresh' | 'logout' | 'error' | 'api';
  text: string;
}

/** Newest first, at most 12. */
export const eventLog = reactive<LogEntry[]>([]);
export function addLog(kind: LogEntry['kind'], text: string) {
  eventLog.unshift({ id: (eventLog[0]?.id ?? 0) + 1, at: Date.now(), kind, text });
  eventLog.splice(12);
}

export const clockTime = (ms: number) => new Date(ms).toLocaleTimeString([], { hour12: false });

export const logoutReasons: Record<LogoutReason, string> = {
  user: 'You signed out.',
  remote: 'You signed out in another tab.',
  refresh_failed: 'Your session expired. Please sign in again.',
};

auth.on('login', ({ user }) => addLog('login', `signed in as ${String(user?.['email'] ?? 'unknown user')}`));
auth.on('refresh', ({ expiresAt }) =>
  addLog('refresh', `new access token${expiresAt ? `, valid until ${clockTime(expiresAt)}` : ''}`));
auth.on('logout', ({ reason }) => addLog('logout', `signed out (${reason})`));
auth.on('error', ({ error }) => addLog('error', `${error.code}: ${error.message}`));
