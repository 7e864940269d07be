// The second factor: login's second step (POST /auth/mfa/verify) and a signed-in user's TOTP
// settings (status, enrol, confirm, disable). Wire format: ../../docs/wire-protocol.md.
import { HttpError, sendJson, tooManyAttempts } from './http.mjs';
import { newSecret, otpauthUrl } from './totp.mjs';

/** @typedef {import('./account-context.d.mts').AccountContext} AccountContext @typedef {import('./account-context.d.mts').Route} Route */

/** @param {AccountContext} context @returns {Record<string, Route>} */
export function mfaRoutes(context) {
  const { store, mfa } = context;

  /**
   * Returns when the code is right; throws the 429 when the account has no tries left, else
   * `status` with `invalid_code` (401 at login; 422 in the settings, where the access token is fine).
   * @param {import('./stores/index.d.mts').StoredUser} user @param {string} secret @param {unknown} code @param {number} status
   */
  async function checkCode(user, secret, code, status) {
    const attempt = await mfa.attempt(user.id);
    if (!attempt.taken) throw tooManyAttempts(attempt.retryAfterMs);
    const check = await mfa.check(user.id, secret, code);
    if (check === 'ok') return mfa.succeeded(user.id);
    context.demoCode(user, secret);
    throw new HttpError(status, 'invalid_code', { attemptsLeft: attempt.left, ...(check === 'replayed' ? { reason: 'replayed' } : {}) });
  }

  /**
   * `POST { code }` that changes the second factor when its state allows and the code is right.
   * @param {(state: import('./stores/index.d.mts').MfaState) => boolean} allowed @param {string} refusal
   * @param {(userId: string, state: import('./stores/index.d.mts').MfaState) => Promise<void>} change
   * @returns {Route}
   */
  const codeGuarded = (allowed, refusal, change) => async (req, res) => {
    const { user } = await context.account(req);
    const { code } = await context.readBody(req);
    if (typeof code !== 'string') throw new HttpError(400, 'invalid_request', { message: 'expected JSON { code }' });
    const state = await store.getMfa(user.id);
    if (!state || !allowed(state)) throw new HttpError(409, refusal);
    await checkCode(user, state.secret, code, 422);
    await change(user.id, state);
    sendJson(res, 204);
  };

  return {
    async 'POST /auth/mfa/verify'(req, res) {
      const { mfaToken, code } = await context.readBody(req);
      if (typeof mfaToken !== 'string' || typeof code !== 'string') {
        throw new HttpError(400, 'invalid_request', { message: 'expected JSON { mfaToken, code }' });
      }
      const challenge = await mfa.readChallenge(mfaToken);
      const user = challenge ? await store.findUserById(challenge.userId) : undefined;
      const state = user ? await store.getMfa(user.id) : undefined;
      if (!challenge || !user || !state?.enrolled) throw new HttpError(401, 'invalid_mfa_token');
      await checkCode(user, state.secret, code, 401);
      // A challenge signs in once, on whichever instance sees it first.
      if (!(await mfa.spend(challenge.id))) throw new HttpError(401, 'invalid_mfa_token');
      context.signedIn();
      await context.startSession(req, res, user);
    },

    async 'GET /auth/mfa'(req, res) {
      const { user } = await context.account(req);
      const state = await store.getMfa(user.id);
      if (state) context.demoCode(user, state.secret);
      sendJson(res, 200, { enabled: state?.enrolled === true, pending: state?.enrolled === false });
    },

    async 'POST /auth/mfa/enroll'(req, res) {
      const { user } = await context.account(req);
      if ((await store.getMfa(user.id))?.enrolled) throw new HttpError(409, 'mfa_already_enabled');
      // Off until confirmed with a code: a secret that never reached an app cannot lock anyone out.
      const secret = newSecret();
      await store.setMfa(user.id, { secret, enrolled: false });
      context.demoCode(user, secret);
      sendJson(res, 200, { secret, otpauthUrl: otpauthUrl(secret, user.email, context.issuer) });
    },

    'POST /auth/mfa/confirm': codeGuarded((state) => !state.enrolled, 'mfa_not_pending', (userId, state) =>
      store.setMfa(userId, { secret: state.secret, enrolled: true, enrolledAt: context.now() })),

    'POST /auth/mfa/disable': codeGuarded((state) => state.enrolled, 'mfa_not_enabled', (userId) => store.deleteMfa(userId)),
  };
}
