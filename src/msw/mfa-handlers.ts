// The second factor's endpoints: the login's second step, and enrol / confirm / disable / status
// for a signed-in user.
import { http, HttpResponse } from 'msw';
import type { ServerContext } from './context';
import { otpauthUrl, type MfaState } from './mfa';
import { error, noContent, NO_STORE, readJsonObject } from './responses';
import type { StoredUser } from './users';

/**
 * MSW handlers for `urls.mfa` (the challenge) and the signed-in user's TOTP settings.
 *
 * @example
 * const handlers = [...mfaHandlers(context)];
 */
export function mfaHandlers(context: ServerContext) {
  const { urls, users, mfa, stats, limiter } = context;
  const issuer = new URL(urls.login).hostname;

  /**
   * Checks a code against the account's budget of tries, taken before the check, one for the login
   * challenges, confirm and disable alike: a new challenge or another endpoint is not more guesses.
   * `null` when right; else the 429, or `status` with `invalid_code` (422 where the access token is fine).
   */
  async function codeRefusal(user: StoredUser, secret: string, code: string, status: number): Promise<Response | null> {
    const key = `code:${user.id}`;
    const left = limiter.take(key, context.limits.codesPerAccount);
    if (left instanceof Response) return left;
    const check = await mfa.check(user.id, secret, code);
    if (check === 'ok') {
      limiter.forget(key);
      return null;
    }
    return error(status, 'invalid_code', { attemptsLeft: left, ...(check === 'replayed' ? { reason: 'replayed' } : {}) });
  }

  /** A signed-in user's `POST { code }` that changes the second factor when `allowed` and the code is right. */
  function codeGuarded(
    url: string,
    allowed: (state: MfaState) => boolean,
    refusal: string,
    change: (userId: string, secret: string) => void,
  ) {
    return http.post(url, async ({ request }) => {
      await context.wait();
      const account = await context.account(request);
      if (account instanceof Response) return account;
      const code = (await readJsonObject(request))?.['code'];
      if (typeof code !== 'string') return error(400, 'invalid_request');
      const state = mfa.state(account.user);
      if (!state || !allowed(state)) return error(409, refusal);
      const refused = await codeRefusal(account.user, state.secret, code, 422);
      if (refused) return refused;
      change(account.user.id, state.secret);
      return noContent();
    });
  }

  return [
    http.post(urls.mfa, async ({ request }) => {
      await context.wait();
      const proof = await context.tokenProof(request);
      if (proof instanceof Response) return proof;
      const body = await readJsonObject(request);
      const { mfaToken, code } = body ?? {};
      if (typeof mfaToken !== 'string' || typeof code !== 'string') return error(400, 'invalid_request');
      const challenge = await mfa.readChallenge(mfaToken);
      const user = challenge ? await users.findById(challenge.userId) : undefined;
      const state = user && mfa.state(user);
      if (!challenge || !user || !state?.enabled) return error(401, 'invalid_mfa_token');
      const refused = await codeRefusal(user, state.secret, code, 401);
      if (refused) return refused;
      // A challenge signs in once: the next step's code cannot reuse it.
      if (!mfa.spend(challenge.id)) return error(401, 'invalid_mfa_token');
      stats.logins++;
      return context.session(user, 200, request, proof.jkt);
    }),

    http.get(urls.mfaStatus, async ({ request }) => {
      await context.wait();
      const account = await context.account(request);
      if (account instanceof Response) return account;
      const state = mfa.state(account.user);
      return HttpResponse.json({ enabled: state?.enabled === true, pending: state?.enabled === false }, { headers: NO_STORE });
    }),

    http.post(urls.mfaEnroll, async ({ request }) => {
      await context.wait();
      const account = await context.account(request);
      if (account instanceof Response) return account;
      if (mfa.state(account.user)?.enabled) return error(409, 'mfa_already_enabled');
      const secret = mfa.newSecret();
      mfa.set(account.user.id, { secret, enabled: false });
      return HttpResponse.json(
        { secret, otpauthUrl: otpauthUrl(issuer, account.user.profile.email, secret) },
        { headers: NO_STORE },
      );
    }),

    // Confirm turns a pending secret on; disable turns an enabled one off. Both need a current code.
    codeGuarded(urls.mfaConfirm, (state) => !state.enabled, 'mfa_not_pending', (userId, secret) =>
      mfa.set(userId, { secret, enabled: true }),
    ),
    codeGuarded(urls.mfaDisable, (state) => state.enabled, 'mfa_not_enabled', (userId) => mfa.set(userId, null)),
  ];
}
