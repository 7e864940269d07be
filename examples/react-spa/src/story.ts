// The demos' event log (React and Vue share it): every request the auth client sends, and why, in
// one line each, newest first; plus the notice the login page shows after a session ended.
// It watches through createAuthClient's `fetch` option and the client's events, so the app's
// own code stays what the README shows.
import type { AuthClient } from 'tokenkeeper';
import type { IdleTimeout } from 'tokenkeeper/idle';

export type LogKind = 'restore' | 'login' | 'refresh' | 'logout' | 'api' | 'error' | 'mfa' | 'device' | 'idle';
export interface LogEntry {
  id: number;
  at: number;
  kind: LogKind;
  text: string;
}

const endedBecause: Record<string, string> = {
  user: 'You signed out.',
  remote: 'You signed out in another tab.',
  refresh_failed: 'Your session ended (it expired, or this device was signed out). Please sign in again.',
  idle: 'You were signed out after a while without activity.',
};

/** The account calls the log tells (GETs only read, so they stay out): kind, then what success and refusal mean. */
const accountCalls: Record<string, [LogKind, string, string]> = {
  'POST /auth/mfa/verify': ['mfa', 'second factor: code accepted', 'second factor: code refused'],
  'POST /auth/mfa/enroll': ['mfa', 'two-factor: a new secret to scan', 'two-factor: could not start'],
  'POST /auth/mfa/confirm': ['mfa', 'two-factor is on', 'two-factor: code refused'],
  'POST /auth/mfa/disable': ['mfa', 'two-factor is off', 'two-factor: code refused'],
  'DELETE /auth/sessions/:id': ['device', 'signed out a device', 'could not sign out the device'],
};

let entries: readonly LogEntry[] = [];
let notice: string | null = null;
const listeners = new Set<() => void>();
let client: AuthClient<unknown> | undefined;
/** The API request whose 401 the next refresh answers, then the one to replay. */
let refused: string | null = null;
let replaying: string | null = null;
/** Whether the server refused the last second-factor code as already used (`verifyMfa` only says `invalid_credentials`). */
let codeReplayed = false;

function changed() {
  for (const listener of listeners) listener();
}
function add(kind: LogKind, text: string) {
  entries = [{ id: (entries[0]?.id ?? 0) + 1, at: Date.now(), kind, text }, ...entries].slice(0, 14);
  changed();
}

/** What a refresh request was for, and how it went. */
function tellRefresh(pageLoad: boolean, status: number | null) {
  const answer = `→ ${status ?? 'no answer'}`;
  if (pageLoad) {
    if (status === 200) add('restore', `page load: session restored from the refresh cookie (POST /auth/refresh-token ${answer})`);
    else if (status === 401 || status === 403) add('restore', `page load: no session to restore (POST /auth/refresh-token ${answer})`);
    else add('error', `page load: could not restore the session (POST /auth/refresh-token ${answer})`);
  } else if (refused) {
    add('refresh', `${refused} was refused, so: refresh with the cookie (POST /auth/refresh-token ${answer})`);
    if (status === 200) replaying = refused;
  } else {
    add('refresh', `the access token is about to expire: refresh (POST /auth/refresh-token ${answer})`);
  }
  refused = null;
}

/** A second-factor or device call, or a login that asks for a second factor. */
async function tellAccountCall(line: string, response: Response) {
  const told = accountCalls[line];
  if (told) {
    // A spent second-factor code: its refusal says so in `reason`, which verifyMfa's AuthError does not carry.
    const body = told[0] === 'mfa' && !response.ok ? ((await response.clone().json().catch(() => null)) as { reason?: unknown } | null) : null;
    const replayed = body?.reason === 'replayed';
    if (told[0] === 'mfa') codeReplayed = replayed;
    add(told[0], `${response.ok ? told[1] : told[2]}${replayed ? ', already used' : ''} (${line} → ${response.status})`);
  } else if (line === 'POST /auth/login' && response.status === 401) {
    const body = (await response.clone().json().catch(() => null)) as { mfaToken?: unknown } | null;
    if (body?.mfaToken) add('mfa', `password right; the account asks for a second factor (${line} → 401 mfa_required)`);
  }
}

export const story = {
  entries: () => entries,
  notice: () => notice,
  /** Whether the last second-factor code the server refused had been used already (its answer's `reason: 'replayed'`). */
  codeReplayed: () => codeReplayed,
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  },

  /** For `createAuthClient({ fetch })`: sends as `fetch` does, and logs what each request was for. */
  async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    // A device's id says nothing to a reader: one line for every DELETE of a session.
    const line = `${method} ${url.pathname.replace(/^\/auth\/sessions\/.+/, '/auth/sessions/:id')}`;
    const isAuthCall = url.pathname.startsWith('/auth/');
    const isRefresh = url.pathname === '/auth/refresh-token';
    // The page-load restore is the refresh sent while the client does not know the session yet.
    const pageLoad = isRefresh && client?.getState().status === 'unknown';
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (error) {
      if (isRefresh) tellRefresh(pageLoad, null);
      else if (!isAuthCall && !init?.signal?.aborted) add('error', `${line}: no answer`);
      throw error;
    }
    if (isRefresh) tellRefresh(pageLoad, response.status);
    else if (isAuthCall) await tellAccountCall(line, response);
    else {
      if (replaying === line) {
        replaying = null;
        add('api', `${line} → ${response.status}, replayed with the new access token`);
      } else if (response.status === 401) {
        refused = line;
        add('api', `${line} → 401: the access token was refused`);
      } else add('api', `${line} → ${response.status}`);
    }
    return response;
  },

  /** Logs the client's events, and the idle timeout's when there is one; call once, right after creating it. */
  watch(auth: AuthClient<unknown>, idle?: IdleTimeout | null) {
    client = auth;
    auth.on('login', ({ user }) => add('login', `signed in as ${String((user as { email?: unknown } | null)?.email ?? 'someone')}`));
    auth.on('logout', ({ reason }) => {
      notice = endedBecause[reason] ?? `Signed out (${reason}).`;
      add('logout', `signed out (${reason})`);
    });
    idle?.on('warning', ({ logoutAt }) => add('idle', `no activity in any tab: signing out at ${clockTime(logoutAt)} unless someone moves`));
    idle?.on('active', () => add('idle', 'activity again: staying signed in'));
    // A session known again clears the notice of how the last one ended.
    auth.subscribe(({ status }) => {
      if (status === 'authenticated' && notice) (notice = null), changed();
    });
  },
};

export const clockTime = (ms: number) => new Date(ms).toLocaleTimeString([], { hour12: false });
