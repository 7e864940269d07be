// The second factor: login's second step (POST /auth/mfa/verify) and a signed-in user's TOTP
// settings (status, enrol, confirm, disable). Wire format: ../../README.md#wire-protocol.
import { HttpError, sendJson } from './http.mjs';
import { MAX_WRONG_CODES } from './mfa.mjs';
import { newSecret, otpauthUrl } from './totp.mjs';

/** @typedef {import('./account-context.d.mts').AccountContext} AccountContext @typedef {import('./account-context.d.mts').Route} Route */

/** @param {'wrong' | 'replayed'} check @param {number} attemptsLeft @param {number} status */
const invalidCode = (status, check, attemptsLeft) =>
  new HttpError(status, 'invalid_code', { attemptsLeft, ...(check === 'replayed' ? { reason: 'replayed' } : {}) });

/** @param {AccountContext} context @returns {Record<string, Route>} */
export function mfaRoutes(context) {
  const { store, mfa } = context;

  /**
   * A signed-in user's code. Wrong ones count per account, so an access token alone cannot guess
   * its way to turning the second factor off. 422, not 401: the access token is fine.
   * @param {import('./stores/index.d.mts').StoredUser} user @param {string} secret @param {unknown} code
   */
  async function accountCode(user, secret, code) {
    const counter = `account:${user.id}`;
    if ((await mfa.failures(counter)) >= MAX_WRONG_CODES) throw new HttpError(429, 'too_many_attempts');
    const check = await mfa.check(user.id, secret, code);
    if (check === 'ok') return;
    context.demoCode(user, secret);
    throw invalidCode(422, check, await mfa.fail(counter));
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
    await accountCode(user, state.secret, code);
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
      const check = await mfa.check(user.id, state.secret, code);
      if (check !== 'ok') {
        context.demoCode(user, state.secret);
        throw invalidCode(401, check, await mfa.fail(`challenge:${challenge.id}`));
      }
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
