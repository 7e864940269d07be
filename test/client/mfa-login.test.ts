import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { isAuthError, type AuthError } from 'tokenkeeper';
import { generateTotp } from 'tokenkeeper/msw';
import { API, MFA_USER, setupWorld } from '../support/world';

// Second factor: login() rejects mfa_required with the challenge; verifyMfa() finishes the login.
const world = setupWorld();
const { totpSecret, ...credentials } = MFA_USER;

async function challenge(auth: ReturnType<typeof world.client>): Promise<AuthError> {
  const error = await auth.login(credentials).catch((e: unknown) => e);
  if (!isAuthError(error)) throw new Error('login did not reject with an AuthError');
  return error;
}

describe('a login that needs a second factor', () => {
  it('rejects mfa_required with mfaToken and mfaMethods; verifyMfa signs in and fires login', async () => {
    const auth = world.client();
    const logins: unknown[] = [];
    auth.on('login', ({ user }) => logins.push(user));

    const error = await challenge(auth);
    expect(error).toMatchObject({ code: 'mfa_required', mfaToken: expect.any(String), mfaMethods: ['totp'] });
    expect(auth.getState().status).not.toBe('authenticated');

    const session = await auth.verifyMfa({ mfaToken: error.mfaToken!, code: await generateTotp(totpSecret) });
    expect(session.user).toMatchObject({ email: MFA_USER.email });
    expect(auth.getState().status).toBe('authenticated');
    expect(logins).toHaveLength(1);
    expect(await world.client().restore()).toMatchObject({ user: { email: MFA_USER.email } }); // the cookie is set
  });

  it('a wrong code is invalid_credentials; an unknown challenge is unauthorized; both leave no session', async () => {
    const auth = world.client();
    const error = await challenge(auth);
    await expect(auth.verifyMfa({ mfaToken: error.mfaToken!, code: '000000' })).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(auth.verifyMfa({ mfaToken: 'forged.challenge.token', code: '123456' })).rejects.toMatchObject({ code: 'unauthorized' });
    expect(auth.getState().status).toBe('anonymous'); // the contract's word, not `unknown` (issue 17, property 10)
    expect(await auth.getAccessToken()).toBeNull();
  });

  // Issue 17, property 10: what the last compaction broke, mended.
  it('verifyMfa sends the challenge and the code, nothing else the caller passed', async () => {
    const bodies: unknown[] = [];
    world.server.use(http.post(`${API}/auth/mfa/verify`, async ({ request }) => void bodies.push(await request.clone().json())));
    const auth = world.client();
    const error = await challenge(auth);
    const code = await generateTotp(totpSecret);
    const careless = { mfaToken: error.mfaToken!, code, password: credentials.password, email: credentials.email };

    await auth.verifyMfa(careless);

    expect(bodies).toEqual([{ mfaToken: error.mfaToken, code }]);
  });

  it("only the second step's 401 invalid_code is a wrong code; for register it is unauthorized", async () => {
    world.server.use(http.post(`${API}/auth/register`, () => HttpResponse.json({ error: 'invalid_code' }, { status: 401 })));
    await expect(world.client().register({ email: 'x@example.com', password: 'pw-pw-pw-pw' })).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('mfaMethods keeps the names the server gave and drops anything that is not one', async () => {
    world.server.use(http.post(`${API}/auth/login`, () => HttpResponse.json({ mfa_required: true, mfa_token: 't1', mfa_methods: ['totp', 42, { x: 1 }, null, 'webauthn'] }, { status: 401 })));
    expect((await challenge(world.client())).mfaMethods).toEqual(['totp', 'webauthn']);
  });

  it.each([
    ['mfa_required: true, 200', 200, { mfa_required: true, mfa_token: 't1' }],
    ['mfaRequired: true, 403', 403, { mfaRequired: true, mfaToken: 't1', mfa_methods: ['totp', 'webauthn'] }],
    ["error: 'mfa_required', 401", 401, { error: 'mfa_required', mfaToken: 't1' }],
  ])('recognises %s', async (_name, status, body) => {
    world.server.use(http.post(`${API}/auth/login`, () => HttpResponse.json(body, { status })));
    const error = await challenge(world.client());
    expect(error).toMatchObject({ code: 'mfa_required', mfaToken: 't1' });
  });

  it('a challenge without a token is an ordinary failure, never a half-made session', async () => {
    world.server.use(http.post(`${API}/auth/login`, () => HttpResponse.json({ mfa_required: true }, { status: 401 })));
    const auth = world.client();
    expect(await challenge(auth)).toMatchObject({ code: 'invalid_credentials' });
    expect(auth.getState().status).not.toBe('authenticated');
  });
});
