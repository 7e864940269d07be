// `tokenkeeper/sessions`: the signed-in devices, built on the client's extension seam exactly as an
// app's own module could be, so an app that never lists its devices carries none of this code.
import { errorForStatus } from './auth-request';
import { AuthError } from './errors';
import { isRecord } from './is-record';
import type { AuthClient } from './types';

/**
 * One signed-in device (a login's session) of the user, as `GET <sessions>` lists it.
 *
 * @example
 * const others = (await listSessions(auth)).filter((session) => !session.current);
 */
export interface DeviceSession {
  /** The server's id for it: what {@link revokeSession} takes. */
  id: string;
  /** True for this browser's own session. */
  current: boolean;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of its last refresh. */
  lastUsedAt: number;
  /** The browser the server saw at login, when it kept it. */
  userAgent?: string;
}

/**
 * What the session functions use of the client: any `createAuthClient` result.
 *
 * @example
 * const devices: SessionsClient = auth;
 */
export type SessionsClient = Pick<AuthClient<unknown>, 'authFetch' | 'extension' | 'logout' | 'on'>;

/**
 * Each client's own session id, from its last list: revoking that one is a logout. Forgotten when
 * a session ends or begins, so a stale list cannot sign out the session that came after it.
 */
const currentIds = new WeakMap<SessionsClient, { id?: string | undefined }>();

/**
 * Calls `GET <sessions>` or `DELETE <sessions>/<id>`, whatever method the endpoint names (contract):
 * through `authFetch` when the endpoint carries the token (one shared refresh and one replay on a
 * 401), with the cookie, so the server can tell which session is this one.
 */
async function callSessions(auth: SessionsClient, id?: string): Promise<Response> {
  const { url, headers, bearer } = auth.extension.endpoint('sessions');
  let response: Response;
  try {
    response = await (bearer ? auth.authFetch : fetch)(id === undefined ? url : `${url}/${encodeURIComponent(id)}`, {
      method: id === undefined ? 'GET' : 'DELETE',
      headers: { Accept: 'application/json', ...headers },
      credentials: 'include',
      cache: 'no-store',
    });
  } catch (cause) {
    throw cause instanceof AuthError ? cause : new AuthError('network', 'Auth server unreachable', { cause });
  }
  if (response.ok) return response;
  throw errorForStatus('sessions', response);
}

/**
 * The user's signed-in devices, this browser's marked `current`: `GET <sessions>` (the client's
 * `endpoints.sessions`, default `'/auth/sessions'`) with the token and the cookie.
 *
 * Rejects with `AuthError`: `network` when the server cannot be reached, `invalid_response` for an
 * answer that is not `{ sessions: DeviceSession[] }`, otherwise the code of the answer's status
 * (`unauthorized` once the refresh after a 401 was refused, `rate_limited`, `server`, …).
 *
 * @example
 * import { listSessions } from 'tokenkeeper/sessions';
 * for (const { id, current, lastUsedAt, userAgent } of await listSessions(auth)) {
 *   console.log(id, current ? '(this browser)' : '', userAgent, new Date(lastUsedAt));
 * }
 */
export async function listSessions(auth: SessionsClient): Promise<DeviceSession[]> {
  const body: unknown = await (await callSessions(auth)).json().catch(() => null);
  const sessions: unknown = isRecord(body) && body['sessions'];
  if (!Array.isArray(sessions) || !sessions.every(isDeviceSession)) throw new AuthError('invalid_response', 'sessions: unexpected answer');
  let memo = currentIds.get(auth);
  if (!memo) {
    const forget = () => void delete memo!.id;
    currentIds.set(auth, (memo = {}));
    auth.on('login', forget);
    auth.on('logout', forget);
  }
  memo.id = sessions.find((session) => session.current)?.id;
  return sessions;
}

/**
 * Signs a device out: `DELETE <sessions>/<id>` (204). That device's session ends at its next
 * refresh. The id of this browser's session (`current` in the last {@link listSessions} of this
 * client) is `auth.logout()` instead, so this tab and the others end at once.
 *
 * Rejects with `AuthError` and changes nothing for an id that is not one of the user's live
 * sessions (the server's 404: code `validation`, status 404), and as {@link listSessions} does otherwise.
 *
 * @example
 * import { listSessions, revokeSession } from 'tokenkeeper/sessions';
 * const [other] = (await listSessions(auth)).filter((session) => !session.current);
 * if (other) await revokeSession(auth, other.id);
 */
export async function revokeSession(auth: SessionsClient, id: string): Promise<void> {
  if (id === currentIds.get(auth)?.id) return auth.logout();
  void (await callSessions(auth, id)).body?.cancel();
}

const isDeviceSession = (value: unknown): value is DeviceSession =>
  isRecord(value) &&
  typeof value['id'] === 'string' &&
  typeof value['current'] === 'boolean' &&
  [value['createdAt'], value['lastUsedAt']].every(Number.isFinite) &&
  ['undefined', 'string'].includes(typeof value['userAgent']);
