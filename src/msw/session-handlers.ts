// The signed-in devices: one refresh token family per login, listed and revoked by its user.
import { http, HttpResponse } from 'msw';
import type { ServerContext } from './context';
import { error, noContent, NO_STORE } from './responses';

/**
 * MSW handlers for `GET <sessions>` and `DELETE <sessions>/:id`.
 *
 * @example
 * const handlers = [...sessionHandlers(context)];
 */
export function sessionHandlers(context: ServerContext) {
  const { urls, refreshTokens } = context;

  /** The family of the presented cookie when it is this user's, else the access token's `sid`. */
  async function currentSession(request: Request, cookies: Record<string, string>, userId: string, sid?: string) {
    const presented = context.presentedToken(request, cookies);
    const family = presented ? await refreshTokens.sessionOf(presented) : null;
    return family?.userId === userId ? family.id : sid;
  }

  return [
    http.get(urls.sessions, async ({ request, cookies }) => {
      await context.wait();
      const account = await context.account(request);
      if (account instanceof Response) return account;
      const current = await currentSession(request, cookies, account.user.id, account.sessionId);
      const sessions = refreshTokens.sessions(account.user.id).map((session) => ({ ...session, current: session.id === current }));
      return HttpResponse.json({ sessions }, { headers: NO_STORE });
    }),

    http.delete(`${urls.sessions}/:id`, async ({ request, cookies, params }) => {
      await context.wait();
      const account = await context.account(request);
      if (account instanceof Response) return account;
      const id = typeof params['id'] === 'string' ? params['id'] : '';
      const current = await currentSession(request, cookies, account.user.id, account.sessionId);
      // Someone else's id, an unknown one or one already ended: the same 404, nothing changed.
      if (!refreshTokens.revokeSession(account.user.id, id)) return error(404, 'session_not_found');
      return noContent(id === current ? { 'Set-Cookie': context.clearCookie() } : {});
    }),
  ];
}
