import { abortable } from './abortable';
import type { PreparedCall } from './endpoints';
import { AuthError, type AuthErrorCode } from './errors';
import type { AuthCall } from './types';

/** The calls with a status table: the client's own, and `sessions` (`tokenkeeper/sessions`). */
export type StatusCall = AuthCall | 'sessions';

export interface AuthAnswer {
  status: number;
  ok: boolean;
  text: string;
  headers: Headers;
}

/**
 * Calls an auth endpoint with `credentials: 'include'` (the refresh cookie rides along) and reads
 * the whole body within `timeoutMs`. Throws `AuthError` `network` or `timeout`; any HTTP status is
 * returned for the caller to judge.
 */
export async function postAuth(request: PreparedCall, fetchImpl: typeof fetch, timeoutMs: number): Promise<AuthAnswer> {
  // A missing fetch throws inside the try below: a `network` error.
  const json = request.body !== undefined;

  const controller = new AbortController();
  // A plain timer rather than AbortSignal.timeout(): it is cleared when done, and fake timers can drive it.
  const timer = setTimeout(() => controller.abort(new AuthError('timeout', `No answer in ${timeoutMs} ms`)), timeoutMs);
  const exchange = async (): Promise<AuthAnswer> => {
    try {
      const response = await fetchImpl(request.url, {
        method: request.method,
        credentials: 'include',
        cache: 'no-store',
        // An auth endpoint that redirects (to a login page, say) is misconfigured: report its status.
        redirect: 'manual',
        headers: { Accept: 'application/json', ...(json && { 'Content-Type': 'application/json' }), ...request.headers },
        ...(json && { body: JSON.stringify(request.body) }),
        signal: controller.signal,
      });
      const text = await response.text();
      return { status: response.status, ok: response.ok, text, headers: response.headers };
    } catch (cause) {
      throw new AuthError('network', 'Auth server unreachable', { cause });
    }
  };
  try {
    // The timeout does not rely on fetch honouring the signal: an injected fetch may ignore it, and a
    // call that never settles would hold the session lock and wedge every later refresh.
    return await abortable(exchange(), controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The `AuthError` for a non-2xx answer to `call`. For a refresh, `detail` says whether the server
 * refused (it has no session: `refreshRefusedStatuses`), which alone makes it `unauthorized` and
 * ends the session. For the second login step it is the body: a 401 `invalid_code` is a wrong code.
 */
export function errorForStatus(call: StatusCall, { status, headers }: Pick<AuthAnswer, 'status' | 'headers'>, detail?: unknown): AuthError {
  let code = codeForStatus(call, status);
  if (call === 'refresh') code = detail === true ? 'unauthorized' : code === 'unauthorized' ? 'server' : code;
  // Only the second login step answers this; 401 alone means its challenge expired.
  if (call === 'mfa' && status === 401 && (detail as { error?: unknown } | null)?.error === 'invalid_code') code = 'invalid_credentials';
  const error = new AuthError(code, `${call}: HTTP ${status}`, { status });
  const retryAfter = code === 'rate_limited' ? secondsToWait(headers.get('Retry-After')) : undefined;
  return retryAfter === undefined ? error : Object.assign(error, { retryAfter });
}

/** `Retry-After` in seconds: a number of seconds, or an HTTP date from now; `undefined` when absent or unreadable. */
function secondsToWait(value: string | null): number | undefined {
  if (!value) return undefined;
  let seconds = Number(value);
  if (isNaN(seconds)) seconds = Math.ceil((Date.parse(value) - Date.now()) / 1000);
  return Number.isFinite(seconds) ? Math.max(0, seconds) : undefined;
}

// The status table of docs/errors.md and of AuthErrorCode's TSDoc; test/client/status-codes.test.ts holds
// all three together. Any status not named here is `server`.
const ANY_CALL: Partial<Record<number, AuthErrorCode>> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'unauthorized',
  422: 'validation',
  429: 'rate_limited', // never a logout: the server only asks us to slow down
};
const BY_CALL: Partial<Record<StatusCall, Partial<Record<number, AuthErrorCode>>>> = {
  login: { 401: 'invalid_credentials', 404: 'invalid_credentials' }, // 404: no such account
  register: { 409: 'conflict' }, // the account exists; a 409 elsewhere means nothing we can act on
  sessions: { 404: 'validation' }, // an id that is not one of the user's live sessions
};

function codeForStatus(call: StatusCall, status: number): AuthErrorCode {
  return BY_CALL[call]?.[status] ?? ANY_CALL[status] ?? 'server';
}
