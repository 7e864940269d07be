// The signed-in devices: one refresh token family per login, listed and signed out by its user.
import { HttpError, parseCookies, sendJson } from './http.mjs';

/** @typedef {import('./account-context.d.mts').AccountContext} AccountContext @typedef {import('./account-context.d.mts').Route} Route */

/** @param {AccountContext} context @returns {Record<string, Route>} */
export function sessionRoutes(context) {
  const { store, refreshTokens } = context;

  /**
   * This device's session: the cookie's family when it is this user's, else the access token's.
   * @param {import('node:http').IncomingMessage} req @param {import('./account-context.d.mts').Account} account
   */
  async function currentSession(req, { user, sessionId }) {
    const token = parseCookies(req.headers.cookie)[context.cookieName];
    const family = token ? await refreshTokens.familyOf(token) : undefined;
    return family?.userId === user.id ? family.id : sessionId;
  }

  return {
    async 'GET /auth/sessions'(req, res) {
      const account = await context.account(req);
      const current = await currentSession(req, account);
      const families = (await store.listFamilies(account.user.id)).filter(context.isLive);
      const sessions = families
        .sort((a, b) => b.lastUsedAt - a.lastUsedAt)
        .map(({ id, createdAt, lastUsedAt, userAgent }) => ({ id, current: id === current, createdAt, lastUsedAt, ...(userAgent ? { userAgent } : {}) }));
      sendJson(res, 200, { sessions });
    },

    async 'DELETE /auth/sessions/:id'(req, res, { id = '' }) {
      const account = await context.account(req);
      const family = id.length <= 128 ? await store.getFamily(id) : undefined;
      // Someone else's id, an unknown one or one already ended: the same 404, and nothing changes.
      if (!family || family.userId !== account.user.id || !context.isLive(family)) throw new HttpError(404, 'session_not_found');
      await store.revokeFamily(id);
      /** @type {Record<string, string>} */
      const headers = id === (await currentSession(req, account)) ? { 'Set-Cookie': context.clearCookie(req) } : {};
      sendJson(res, 204, undefined, headers);
    },
  };
}
