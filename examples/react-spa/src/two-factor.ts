// The example server's two-factor settings (GET /auth/mfa, enroll, confirm, disable). tokenkeeper's
// client covers the login's second step (verifyMfa); turning the factor on and off is the server's
// own API, called with authFetch like any other.
import { isAuthError } from 'tokenkeeper';
import { renderSVG } from 'uqr';
import { auth } from './auth';
import { codeUsedText } from './code-text';

/** What enrolling answers: the secret for the authenticator app, and the same as an otpauth:// URL. */
export interface Enrollment {
  secret: string;
  otpauthUrl: string;
}

/** A call the server refused, with a sentence for the page. */
class Refused extends Error {}
const refusals: Record<string, string> = {
  invalid_code: 'Wrong code. Type the one your app shows now.',
  too_many_attempts: 'Too many wrong codes. Wait five minutes, then try again.',
};

async function send(method: 'GET' | 'POST', path: string, body?: { code: string }): Promise<Response> {
  const json = body ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {};
  const response = await auth.authFetch(path, { method, ...json });
  if (response.ok) return response;
  const { error, reason } = (await response.json().catch(() => ({}))) as { error?: unknown; reason?: unknown };
  if (reason === 'replayed') throw new Refused(codeUsedText());
  throw new Refused(refusals[String(error)] ?? `The server refused (${response.status} ${String(error ?? '')}).`);
}

export const twoFactor = {
  /** Whether signing in asks this account for a code. */
  enabled: async () => ((await (await send('GET', '/auth/mfa')).json()) as { enabled?: unknown }).enabled === true,
  /** A new secret; two-factor stays off until {@link twoFactor.confirm} proves the app has it. */
  enroll: async () => (await (await send('POST', '/auth/mfa/enroll')).json()) as Enrollment,
  confirm: async (code: string) => void (await send('POST', '/auth/mfa/confirm', { code })),
  disable: async (code: string) => void (await send('POST', '/auth/mfa/disable', { code })),
};

/** What to tell the user when a call above failed. */
export const failureText = (error: unknown) =>
  error instanceof Refused ? error.message : `No answer from the server (${isAuthError(error) ? error.code : String(error)}).`;

/** The QR code an authenticator app scans, as SVG markup: drawn here, so the secret goes to no QR service. */
export const qrCode = (otpauthUrl: string) => renderSVG(otpauthUrl, { border: 1 });
