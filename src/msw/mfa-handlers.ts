// The second factor's endpoints: the login's second step, and enrol / confirm / disable / status
// for a signed-in user.
import { http, HttpResponse } from 'msw';
import type { ServerContext } from './context';
import { MAX_WRONG_CODES, otpauthUrl, type CodeCheck, type MfaState } from './mfa';
import { error, noContent, NO_STORE, readJsonObject } from './responses';

/**
 * MSW handlers for `urls.mfa` (the challenge) and the signed-in user's TOTP settings.
 *
 * @example
 * const handlers = [...mfaHandlers(context)];
 */
export function mfaHandlers(context: ServerContext) {
  const { urls, users, mfa, stats } = context;
  const issuer = new URL(urls.login).hostname;

  /**
   * A signed-in user's code: wrong codes count per account, so an access token alone cannot
   * guess its way to turning the second factor off. 422, not 401: the token is fine.
   */
  async function accountCode(userId: string, secret: string, code: string): Promise<Response | null> {
    const counter = `account:${userId}`;
    if (mfa.failures(counter) >= MAX_WRONG_CODES) return error(429, 'too_many_attempts');
    const check: CodeCheck = await mfa.check(userId, secret, code);
    if (check === 'ok') return null;
    return invalidCode(422, check, mfa.fail(counter));
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
      const refused = await accountCode(account.user.id, state.secret, code);
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
      const check = await mfa.check(user.id, state.secret, code);
      if (check !== 'ok') {
        return invalidCode(401, check, mfa.fail(challenge.id));
      }
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

/** A refused code, with the tries left and whether it was a replay. */
function invalidCode(status: number, check: CodeCheck, attemptsLeft: number): Response {
  return error(status, 'invalid_code', { attemptsLeft, ...(check === 'replayed' ? { reason: 'replayed' } : {}) });
}
