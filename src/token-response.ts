import { AuthError } from './errors';
import type { AuthUser, TokenResponse } from './types';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The default {@link AuthClientOptions.parseTokenResponse}: accepts `accessToken` or `access_token`,
 * `expiresIn` or `expires_in` (a number or a numeric string), and a `user` object.
 */
export function parseTokenResponse(body: unknown): TokenResponse<AuthUser> {
  const fields = isRecord(body) ? body : {};
  const accessToken = fields['accessToken'] ?? fields['access_token'];
  const expiresIn = fields['expiresIn'] ?? fields['expires_in'];
  const user = fields['user'];
  return {
    accessToken: accessToken as string | null | undefined, // checked by readTokenBody, whatever parser ran
    expiresIn: typeof expiresIn === 'string' && expiresIn.trim() !== '' ? Number(expiresIn) : (expiresIn as number | undefined),
    user: isRecord(user) ? user : undefined,
  };
}

// A token goes into a header: visible ASCII only, so no CR/LF can split it and no space can smuggle in.
const HEADER_SAFE_TOKEN = /^[\x21-\x7e]+$/;

/** What a 2xx token response carries, checked; `null` when it carries no token. */
export interface TokenBody<TUser> {
  accessToken: string;
  expiresIn: number | undefined;
  user: TUser | undefined;
}

/**
 * Reads a 2xx auth body with the configured parser. Throws `invalid_response` for anything that is
 * not JSON or has a malformed token; returns `null` when there is no token at all.
 */
export function readTokenBody<TUser>(
  text: string,
  status: number,
  parse: (body: unknown) => TokenResponse<TUser>,
): TokenBody<TUser> | null {
  let parsed: TokenResponse<TUser>;
  try {
    parsed = parse(JSON.parse(text));
  } catch (cause) {
    throw new AuthError('invalid_response', `The auth server's answer (${status}) is not a readable token response.`, {
      status,
      cause,
    });
  }
  const token: unknown = isRecord(parsed) ? parsed.accessToken : undefined;
  if (token === undefined || token === null) return null;
  if (typeof token !== 'string' || !HEADER_SAFE_TOKEN.test(token)) {
    throw new AuthError('invalid_response', 'The auth server sent a malformed access token.', { status });
  }
  const expiresIn: unknown = parsed.expiresIn;
  const user: unknown = parsed.user;
  return {
    accessToken: token,
    expiresIn: typeof expiresIn === 'number' ? expiresIn : undefined,
    user: isRecord(user) ? (user as TUser) : undefined,
  };
}
