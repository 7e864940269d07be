import { AuthError } from './errors';
import { isRecord } from './is-record';

/**
 * The `mfa_required` error for a login answer (200, 401 or 403) that asks for a second factor:
 * `mfa_required: true`, `mfaRequired: true` or `error: 'mfa_required'`, with `mfaToken`/`mfa_token`.
 * `undefined` for any other answer.
 */
export function mfaChallenge(body: unknown): AuthError | undefined {
  if (!isRecord(body)) return;
  const mfaToken = body['mfaToken'] ?? body['mfa_token'];
  const mfaMethods = body['mfaMethods'] ?? body['mfa_methods'];
  if (typeof mfaToken === 'string' && (body['mfa_required'] === true || body['mfaRequired'] === true || body['error'] === 'mfa_required')) {
    return Object.assign(new AuthError('mfa_required', 'Second factor required'), {
      mfaToken,
      // Names only: anything else in the list is dropped, not turned into text.
      mfaMethods: Array.isArray(mfaMethods) ? mfaMethods.filter((method): method is string => typeof method === 'string') : undefined,
    });
  }
}
