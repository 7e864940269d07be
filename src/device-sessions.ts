import { errorForStatus } from './auth-request';
import type { Endpoints } from './endpoints';
import { AuthError } from './errors';
import { isRecord } from './is-record';
import type { AuthClient, DeviceSession } from './types';

/**
 * The signed-in devices. Calls go through `authFetch`, so an expired token is refreshed and the
 * call replayed once, as for any API call; the cookie rides along so the server can mark `current`.
 */
export function createDeviceSessions(
  endpoints: Endpoints,
  authFetch: typeof fetch,
  logout: () => Promise<void>,
): Pick<AuthClient, 'listSessions' | 'revokeSession'> {
  let currentId: string | undefined;
  const request = async (id?: string) => {
    const { url, headers } = endpoints.prepare('sessions');
    const response = await authFetch(id === undefined ? url : `${url}/${encodeURIComponent(id)}`, {
      method: id === undefined ? 'GET' : 'DELETE',
      headers,
      credentials: 'include',
      cache: 'no-store',
    }).catch((cause: unknown) => {
      throw cause instanceof AuthError ? cause : new AuthError('network', 'Auth server unreachable', { cause });
    });
    if (!response.ok) throw errorForStatus('sessions', response.status);
    return response;
  };
  return {
    async listSessions() {
      const body: unknown = await (await request()).json().catch(() => null);
      const sessions: unknown = isRecord(body) && body['sessions'];
      if (!Array.isArray(sessions) || !sessions.every(isDeviceSession)) throw new AuthError('invalid_response', 'Unexpected sessions answer');
      currentId = sessions.find((session) => session.current)?.id;
      return sessions;
    },
    async revokeSession(id) {
      if (id === currentId) return logout();
      void (await request(id)).body?.cancel();
    },
  };
}

const isDeviceSession = (value: unknown): value is DeviceSession =>
  isRecord(value) &&
  typeof value['id'] === 'string' &&
  typeof value['current'] === 'boolean' &&
  [value['createdAt'], value['lastUsedAt']].every(Number.isFinite) &&
  ['undefined', 'string'].includes(typeof value['userAgent']);
