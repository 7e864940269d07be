import { errorForStatus, type AuthAnswer } from './auth-request';
import { AuthError } from './errors';
import { computeExpiry, decodeClaims } from './expiry';
import { isRecord } from './is-record';
import { mfaChallenge } from './mfa';
import { isOtherAccount, type Grant } from './session-store';
import type { AuthUser, DpopBinding, ResolveUserContext, TokenResponse, TokenResponseContext } from './types';

/**
 * The default {@link AuthClientOptions.parseTokenResponse}: accepts `accessToken` or `access_token`,
 * `expiresIn` or `expires_in` (a number or a numeric string), and a `user` object.
 */
export function parseTokenResponse(body: unknown): TokenResponse<AuthUser> {
  const fields = isRecord(body) ? body : {};
  const expiresIn = fields['expiresIn'] ?? fields['expires_in'];
  return {
    accessToken: (fields['accessToken'] ?? fields['access_token']) as string | undefined, // checked in readGrant
    expiresIn: typeof expiresIn === 'string' ? Number(expiresIn) : (expiresIn as number | undefined),
    user: fields['user'] as AuthUser | undefined,
  };
}

/**
 * A token goes into a header: visible ASCII only, so no CR/LF can split it and no space can smuggle
 * in, and at most 16 KiB, past which servers refuse the header anyway (431).
 */
export const isHeaderSafeToken = (token: unknown): token is string =>
  typeof token === 'string' && /^[\x21-\x7e]{1,16384}$/.test(token);

/** What reading a token answer needs of the options, as `resolveConfig` normalised them. */
export interface GrantOptions<TUser> {
  /** True when a refresh answered `status` (and `body`) means "no session here". */
  isRefused_(status: number, body: unknown): boolean;
  parse_: (body: unknown, context: TokenResponseContext) => TokenResponse<TUser>;
  refreshMarginMs_: number;
  resolveUser_: ((context: ResolveUserContext<TUser>) => TUser | null) | undefined;
  dpop_: DpopBinding | undefined;
}

/** A 2xx answer that carries no token (a login that only sets the cookie): what it said of the user. */
export interface Tokenless {
  readonly user: unknown;
}

/**
 * Reads the answer to `login`, `register`, `mfa` or `refresh`: a {@link Grant}, a {@link Tokenless}
 * 2xx, or the `AuthError` it means (`mfa_required` for a login that asks for a second factor).
 */
export function readTokenAnswer<TUser>(
  { ok, status, text, headers }: AuthAnswer,
  options: GrantOptions<TUser>,
  call: ResolveUserContext['call'],
  previous: Grant<TUser> | null,
): Grant<TUser> | Tokenless {
  let body: unknown = {}; // an empty answer carries no token, as `{}` would not
  let json = true;
  try {
    if (text.trim()) body = JSON.parse(text);
  } catch {
    body = text;
    json = false;
  }
  if (call === 'login') {
    const challenge = mfaChallenge(body);
    if (challenge) throw challenge;
  }
  if (!ok) throw errorForStatus(call, { status, headers }, call === 'refresh' ? options.isRefused_(status, body) : body);
  // No cause: the engine's SyntaxError quotes the body, which may be a bare token.
  if (!json) throw new AuthError('invalid_response', 'Token response is not JSON', { status });
  return readGrant(body, status, headers, options, call, previous);
}

/**
 * Turns a 2xx auth answer's JSON body into a {@link Grant}, or a {@link Tokenless} when it carries
 * no token; `invalid_response` when the parser or resolver throws, or the token could not safely
 * go into a header.
 */
export function readGrant<TUser>(
  body: unknown,
  status: number,
  headers: Headers,
  { parse_: parse, refreshMarginMs_: refreshMarginMs, resolveUser_: resolveUser, dpop_: dpop }: GrantOptions<TUser>,
  call: ResolveUserContext['call'],
  /** The grant this one replaces, within the same session. */
  previous: Grant<TUser> | null,
): Grant<TUser> | Tokenless {
  const parsed = appCode(() => parse(body, { call, status, headers }), status);
  const token: unknown = parsed?.accessToken;
  if (token == null) {
    // A refresh answer must carry a token; a login may only have set the cookie.
    if (call === 'refresh') throw new AuthError('invalid_response', 'No access token', { status });
    return { user: parsed?.user };
  }
  if (!isHeaderSafeToken(token)) throw new AuthError('invalid_response', 'Malformed access token', { status });
  // RFC 9449 §5: a bound token is answered `token_type: DPoP`, and cannot be sent without a proof.
  // (With `dpop`, the handle's tokenKey() refuses any other answer: a silent downgrade otherwise.)
  if (!dpop && /^dpop$/i.test((body as { token_type?: string } | null)?.token_type!)) {
    throw new AuthError('invalid_response', 'token_type DPoP: pass dpop', { status });
  }
  const claims = decodeClaims(token);
  const subject = claims?.['sub'];
  const sameAccount = previous && !isOtherAccount(previous.subject, subject);
  const serverUser = isRecord(parsed.user) ? parsed.user : undefined;
  // A refresh answer rarely repeats the profile: keep the one login gave rather than swap in raw claims.
  const profile = serverUser ?? (sameAccount && previous.userFromServer ? previous.user : undefined);
  return {
    accessToken: token,
    subject,
    ...computeExpiry(parsed.expiresIn, claims, Date.now(), refreshMarginMs),
    user: resolveUser
      ? appCode(() => resolveUser({ call, body, claims, previous: sameAccount ? previous.user : null }), status)
      : (profile ?? (claims as TUser | null)),
    userFromServer: !!resolveUser || profile !== undefined,
    // The key that signed this call's proof, bound to the token: it travels with the token to other tabs.
    key: dpop?.tokenKey(body),
  };
}

/** Runs the app's parser or resolver: what it throws becomes `invalid_response`, its error kept as the cause. */
function appCode<T>(run: () => T, status: number): T {
  try {
    return run();
  } catch (cause) {
    throw new AuthError('invalid_response', 'Your parser or resolver threw', { status, cause });
  }
}
