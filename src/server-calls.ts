import { errorForStatus, postAuth } from './auth-request';
import { AuthError } from './errors';
import { isRecord } from './is-record';
import type { Config } from './options';
import { isExpired, type Grant } from './session-store';
import { readTokenAnswer } from './token-response';
import type { EndpointName } from './types';

/** The calls whose answer is a token. */
export type GrantCall = 'login' | 'register' | 'refresh' | 'mfa';

/** What a call needs of the options. */
type CallConfig = Pick<Config<unknown>, 'endpoints_' | 'getFetch_' | 'timeoutMs_'>;

const call = (
  config: CallConfig,
  name: EndpointName,
  sent?: Record<string, unknown>,
  accessToken?: string | null,
  onCsrfError?: (error: AuthError) => void,
) => postAuth(config.endpoints_.prepare_(name, sent, accessToken, onCsrfError), config.getFetch_(), config.timeoutMs_);

/** Calls `login`, `register`, `mfa` or `refresh` (the latter with the token, when its endpoint wants one). */
export const requestGrant = async <TUser>(
  config: Config<TUser>,
  name: GrantCall,
  sent: Record<string, unknown> | undefined,
  previous: Grant<TUser> | null,
) => readTokenAnswer(await call(config, name, sent, previous?.accessToken), config, name, previous);

/** Tells the server; a failure is reported, never thrown (memory is already clear). */
async function callLogout(
  config: CallConfig,
  reportError: (error: AuthError) => void,
  name: 'logout' | 'logoutEverywhere',
  sent: Record<string, unknown> | undefined,
  accessToken: string | null,
) {
  try {
    // Without a CSRF header we could not make, the server is still told: it may refuse, which is reported too.
    const answer = await call(config, name, sent, accessToken, reportError);
    if (!answer.ok) reportError(errorForStatus(name, answer));
    return answer.ok;
  } catch (error) {
    // Offline: the cookie outlives us until the server sees a logout.
    if (error instanceof AuthError) reportError(error);
    return false;
  }
}

/**
 * Ends `grant`'s session at the server (`everywhere`: all of the account's sessions). Call it under
 * the session lock, so the cookie it sends is the newest one. Never sends a token known to be dead:
 * a fresh one from the cookie, else the cookie alone. Never throws: failures go to `reportError`.
 */
export async function revokeAtServer<TUser>(
  config: Config<TUser>,
  reportError: (error: AuthError) => void,
  grant: Grant<TUser> | null,
  everywhere?: boolean,
) {
  let token = grant?.accessToken ?? null;
  if (grant && isExpired(grant)) {
    token = await requestGrant(config, 'refresh', undefined, grant).then((fresh) => (fresh as Grant<TUser>).accessToken, () => null);
  }
  const ownEndpoint = everywhere && config.hasLogoutEverywhere_;
  // A 2xx from the server's own "everywhere" endpoint has ended this session too: a logout after
  // it would be refused (Payload answers 400 No User) and reported as a failure.
  if (!(ownEndpoint && (await callLogout(config, reportError, 'logoutEverywhere', undefined, token)))) {
    await callLogout(config, reportError, 'logout', everywhere && !ownEndpoint ? { everywhere } : undefined, token);
  }
}

/**
 * The grant a sign-in (`login`, `register`, `mfa`) brings. A sign-in that only set the cookie gets its
 * token from one refresh, with the sign-in's user; `null` for a sign-up that starts no session yet.
 */
export async function requestSignInGrant<TUser>(
  config: Config<TUser>,
  name: Exclude<GrantCall, 'refresh'>,
  sent: Record<string, unknown>,
): Promise<Grant<TUser> | null> {
  const answer = await requestGrant(config, name, sent, null);
  if ('accessToken' in answer) return answer;
  config.log_(`${name}: no token, refreshing`);
  const user = isRecord(answer.user) ? (answer.user as TUser) : null;
  return requestGrant(config, 'refresh', undefined, { user, userFromServer: !!user } as Grant<TUser>).then(
    (refreshed) => refreshed as Grant<TUser>,
    (error: AuthError) => {
      if (error.code !== 'unauthorized') throw error;
      // No cookie either. A sign-up that starts no session yet (email confirmation first) is no error.
      if (name === 'register') return null;
      throw new AuthError('invalid_response', 'No access token');
    },
  );
}
