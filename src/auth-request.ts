import { AuthError, type AuthErrorCode } from './errors';

export type AuthCall = 'login' | 'register' | 'refresh' | 'logout';

export interface AuthAnswer {
  status: number;
  ok: boolean;
  text: string;
}

export interface AuthRequest {
  url: string;
  fetch: typeof fetch;
  timeoutMs: number;
  body?: unknown;
  accessToken?: string | null;
}

/**
 * POSTs to an auth endpoint with `credentials: 'include'` (the refresh cookie rides along) and
 * reads the whole body within `timeoutMs`. Throws `AuthError` `network` or `timeout`; any HTTP
 * status is returned for the caller to judge.
 */
export async function postAuth(request: AuthRequest): Promise<AuthAnswer> {
  const fetchImpl = request.fetch; // A missing fetch throws inside the try below: a `network` error.
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (request.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(request.body);
  }
  if (request.accessToken) headers['Authorization'] = `Bearer ${request.accessToken}`;

  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The timeout does not rely on fetch honouring the signal: an injected fetch may ignore it, and a
  // call that never settles would hold the session lock and wedge every later refresh.
  const timedOut = new Promise<never>((_, reject) => {
    // A plain timer rather than AbortSignal.timeout(): it is cleared when done, and fake timers can drive it.
    timer = setTimeout(() => {
      reject(new AuthError('timeout', `No answer in ${request.timeoutMs} ms`));
      controller.abort();
    }, request.timeoutMs);
  });
  const exchange = async (): Promise<AuthAnswer> => {
    try {
      const response = await fetchImpl(request.url, {
        method: 'POST',
        credentials: 'include',
        cache: 'no-store',
        // An auth endpoint that redirects (to a login page, say) is misconfigured: report its status.
        redirect: 'manual',
        headers,
        ...(body === undefined ? {} : { body }),
        signal: controller.signal,
      });
      const text = await response.text();
      return { status: response.status, ok: response.ok, text };
    } catch (cause) {
      throw new AuthError('network', 'Auth server unreachable', { cause });
    }
  };
  try {
    return await Promise.race([exchange(), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** The `AuthError` for a non-2xx answer to `call`. */
export function errorForStatus(call: AuthCall, status: number): AuthError {
  const code = codeForStatus(call, status);
  return new AuthError(code, `${call}: HTTP ${status}`, { status });
}

// The status table of the README and of AuthErrorCode's TSDoc; test/status-codes.test.ts holds
// all three together. Any status not named here is `server`.
const ANY_CALL: Partial<Record<number, AuthErrorCode>> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'unauthorized',
  422: 'validation',
};
const BY_CALL: Record<AuthCall, Partial<Record<number, AuthErrorCode>>> = {
  login: { 401: 'invalid_credentials', 404: 'invalid_credentials' }, // 404: no such account
  register: { 409: 'conflict' }, // the account exists; a 409 elsewhere means nothing we can act on
  refresh: {},
  logout: {},
};

function codeForStatus(call: AuthCall, status: number): AuthErrorCode {
  return BY_CALL[call][status] ?? ANY_CALL[status] ?? 'server';
}
