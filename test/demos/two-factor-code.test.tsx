// Issue 20: right after turning two-factor on, the code that confirmed it is refused at the next
// sign-in (each code works once). The demos say so, and when the next code comes, instead of
// "Wrong code". Their own MfaStep and settings calls, against the mock server.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isAuthError } from 'tokenkeeper';
import { createAuthServer, generateTotp } from 'tokenkeeper/msw';
import { auth } from '../../examples/react-spa/src/auth';
import { codeUsedText, secondsToNextCode } from '../../examples/react-spa/src/code-text';
import { MfaStep } from '../../examples/react-spa/src/MfaStep';
import { story } from '../../examples/react-spa/src/story';
import { failureText, twoFactor } from '../../examples/react-spa/src/two-factor';

const SECRET = 'JBSWY3DPEHPK3PXP';
const USER = { email: 'bob@example.com', password: 'builder-123' };
/** The mock's clock, mid-step, so a code stays in its window whatever the test's pace. */
const clock = { now: Date.parse('2030-01-01T00:00:12Z') };
const mock = createAuthServer({ baseUrl: location.origin, users: [{ ...USER, totpSecret: SECRET }], now: () => clock.now });
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(cleanup);
afterAll(() => server.close());

const USED_TEXT = /^This code was just used; wait for the next one \(in ([1-9]|[12]\d|30) s\)\.$/;

/** The password step: the challenge for the code. */
async function challenge(): Promise<string> {
  const refusal: unknown = await auth.login(USER).catch((error: unknown) => error);
  if (!isAuthError(refusal) || refusal.code !== 'mfa_required' || !refusal.mfaToken) throw new Error(`expected mfa_required, got ${String(refusal)}`);
  return refusal.mfaToken;
}

/** Types `code` into the demo's second step and answers what the page says. */
async function typeCode(mfaToken: string, code: string): Promise<string> {
  render(<MfaStep mfaToken={mfaToken} onRestart={(why) => void why} />);
  fireEvent.change(screen.getByLabelText('Code'), { target: { value: code } });
  fireEvent.submit(screen.getByRole('button', { name: 'Verify' }).closest('form')!);
  return (await screen.findByRole('alert')).textContent ?? '';
}

describe('the demos: a second-factor code used twice', () => {
  it('counts the seconds to the next 30 s step', () => {
    const step = Date.parse('2030-01-01T00:00:00Z');
    expect(secondsToNextCode(step)).toBe(30);
    expect(secondsToNextCode(step + 12_000)).toBe(18);
    expect(secondsToNextCode(step + 29_001)).toBe(1);
    expect(codeUsedText(step + 12_000)).toBe('This code was just used; wait for the next one (in 18 s).');
  });

  it('at sign-in, says the code was just used; a wrong one is still "Wrong code"', async () => {
    const code = await generateTotp(SECRET, clock.now);
    await auth.verifyMfa({ mfaToken: await challenge(), code });
    await auth.logout();

    expect(await typeCode(await challenge(), code)).toMatch(USED_TEXT);
    expect(story.entries()[0]?.text).toBe('second factor: code refused, already used (POST /auth/mfa/verify → 401)');
    expect(auth.getState().status).toBe('anonymous');
    cleanup();
    const wrong = ['000000', '111111'].find((candidate) => candidate !== code)!;
    expect(await typeCode(await challenge(), wrong)).toBe('Wrong code. Try the one your app shows now.');
  });

  it('in the settings, says the same of the code that just signed in', async () => {
    const code = await generateTotp(SECRET, clock.now + 30_000); // the next step's: unspent so far
    await auth.verifyMfa({ mfaToken: await challenge(), code });
    const refusal = await twoFactor.disable(code).catch((error: unknown) => error);
    expect(failureText(refusal)).toMatch(USED_TEXT);
    expect(await twoFactor.enabled()).toBe(true);
  });
});
