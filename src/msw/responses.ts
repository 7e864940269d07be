// JSON in and out for the handlers. Every answer is `no-store`: tokens and user data must never
// land in a cache.
import { HttpResponse } from 'msw';

export const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * `{ error: code, ...extra }` with `status` (and extra headers).
 *
 * @example
 * return error(401, 'invalid_code', { attemptsLeft: 4 });
 */
export function error(status: number, code: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return HttpResponse.json({ error: code, ...extra }, { status, headers: { ...NO_STORE, ...headers } });
}

/**
 * The answer to a missing, invalid or expired access token, with the RFC 6750 header.
 *
 * @example
 * if (!user) return invalidToken();
 */
export function invalidToken(): Response {
  return HttpResponse.json(
    { error: 'invalid_token' },
    { status: 401, headers: { ...NO_STORE, 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
  );
}

/**
 * An empty answer (204 unless told), with optional extra headers.
 *
 * @example
 * return noContent({ 'Set-Cookie': clearRefreshCookie(cookie) });
 */
export function noContent(headers: Record<string, string> = {}): Response {
  return new HttpResponse(null, { status: 204, headers: { ...NO_STORE, ...headers } });
}

/**
 * The body as a JSON object, or `null` when it is empty, not JSON, or not an object.
 *
 * @example
 * const body = await readJsonObject(request);
 */
export async function readJsonObject(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const value: unknown = JSON.parse(await request.text());
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
