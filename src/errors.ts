/**
 * Why an auth operation failed.
 *
 * - `invalid_credentials`: login answered 401 or 404; verifyMfa was given a wrong code.
 * - `conflict`: register answered 409 (the account exists).
 * - `validation`: the server answered 400 or 422.
 * - `unauthorized`: refresh answered 401/403 (the session is gone); login 403, register or logout 401/403;
 *   verifyMfa 401/403 (the challenge expired: start over with login).
 * - `network`: the request never got an answer.
 * - `timeout`: no answer within the `timeout` option.
 * - `server`: a 5xx, or another status the SDK cannot act on (see `status`).
 * - `invalid_response`: a 2xx whose body is not JSON, has no token, or has a malformed token.
 * - `mfa_required`: the login needs a second factor: pass `error.mfaToken` and the user's code to `verifyMfa()`.
 * - `rate_limited`: the server answered 429 (too many attempts); `retryAfter` says how many seconds to
 *   wait when the server said. It never ends a session.
 *
 * The code for every status of every call:
 *
 * | status | login | register | refresh | logout | verifyMfa |
 * | --- | --- | --- | --- | --- | --- |
 * | 400, 422 | `validation` | `validation` | `validation` | `validation` | `validation` |
 * | 401 | `invalid_credentials` | `unauthorized` | `unauthorized`, the session ends | `unauthorized` | `unauthorized`; `invalid_credentials` when the body says `invalid_code` |
 * | 403 | `unauthorized` | `unauthorized` | `unauthorized`, the session ends | `unauthorized` | `unauthorized` |
 * | 404 | `invalid_credentials` | `server` | `server` | `server` | `server` |
 * | 409 | `server` | `conflict` | `server` | `server` | `server` |
 * | 429 | `rate_limited` | `rate_limited` | `rate_limited`, the session stays | `rate_limited` | `rate_limited` |
 * | any other (5xx, …) | `server` | `server` | `server` | `server` | `server` |
 *
 * @example
 * auth.login(form).catch((error) => { if (isAuthError(error) && error.code === 'invalid_credentials') showWrongPassword() });
 */
export type AuthErrorCode =
  | 'invalid_credentials'
  | 'conflict'
  | 'validation'
  | 'unauthorized'
  | 'network'
  | 'timeout'
  | 'server'
  | 'invalid_response'
  | 'mfa_required'
  | 'rate_limited';

/**
 * The one error class tokenkeeper throws. Its message never contains a token.
 *
 * @example
 * try { await auth.login(form) }
 * catch (error) { if (isAuthError(error) && error.code === 'invalid_credentials') showWrongPassword() }
 */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  /** What went wrong, stable for programs to branch on. */
  declare readonly code: AuthErrorCode;
  /** The HTTP status of the answer that caused this error, when there was one. */
  declare readonly status?: number;
  /** With `mfa_required`: the challenge to pass to `verifyMfa()`. */
  declare readonly mfaToken?: string;
  /** With `mfa_required`, when the server names them: the second factors it accepts (e.g. `['totp']`). */
  declare readonly mfaMethods?: readonly string[];
  /** With `rate_limited`, when the server sent `Retry-After`: seconds to wait before trying again. */
  declare readonly retryAfter?: number;

  constructor(code: AuthErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options); // Error reads `cause` from it, only when present
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
  }
}

/**
 * True for an {@link AuthError}, also one from another copy of the library or another realm (an
 * iframe, a `node:vm` context), where `instanceof` fails: any error named `'AuthError'` with a
 * string `code`.
 *
 * @example
 * if (isAuthError(error) && error.code === 'timeout') retryLater();
 */
export function isAuthError(value: unknown): value is AuthError {
  if (value instanceof AuthError) return true;
  // Object.prototype.toString reads the internal error brand, which holds across realms.
  const isError = value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
  return isError && (value as Error).name === 'AuthError' && typeof (value as { code?: unknown }).code === 'string';
}
