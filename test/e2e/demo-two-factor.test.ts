import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTotp } from 'tokenkeeper/msw';
import { accountShown, button, DEMOS, hasText, heading, lines, poll, prepareDemos, signIn, startDemoSite, type DemoSite } from './demo-driver';
import { describeEngine, type Browser, type Tab } from './engines';

// The demos' second factor: turned on from the account page (secret and QR code, confirmed with a
// code), then asked for at the next sign-in, where the code that just confirmed is refused as used
// (each code works once: issue 20), a wrong code is refused, and a fresh one signs in.

const STEP_MS = 30_000;

/**
 * An authenticator app for `secret` that never hands out a code the server has already taken:
 * the server refuses a code twice, and accepts the previous, current and next step's.
 */
function authenticator(secret: string) {
  const spent = new Set<number>();
  return {
    /** The code it handed out last. */
    last: '',
    async code(): Promise<string> {
      for (;;) {
        const now = Date.now();
        const step = Math.floor(now / STEP_MS);
        const left = (step + 1) * STEP_MS - now;
        // The previous step's code only while the request surely lands in this step.
        const fresh = [step + 1, step, ...(left > 3_000 ? [step - 1] : [])].find((candidate) => !spent.has(candidate));
        if (fresh !== undefined) {
          spent.add(fresh);
          // The first code is the next step's (none spent yet): it stays valid for 30 s at least.
          this.last = await generateTotp(secret, fresh * STEP_MS);
          return this.last;
        }
        await new Promise((resolve) => setTimeout(resolve, left)); // the next step brings fresh codes
      }
    },
    /** Six digits that are no code of any step the server could accept now. */
    async wrongCode(): Promise<string> {
      const near = await Promise.all([-2, -1, 0, 1, 2].map((offset) => generateTotp(secret, Date.now() + offset * STEP_MS)));
      return ['000000', '111111', '222222'].find((code) => !near.includes(code))!;
    },
  };
}

describeEngine('the demos: two-factor', () => {
  let browser: Browser;
  beforeAll(async () => void (browser = await prepareDemos()), 120_000);
  afterAll(() => browser?.close());

  describe.each(DEMOS)('the $name demo: two-factor', (demo) => {
    let site: DemoSite;
    let page: Tab;
    let app: ReturnType<typeof authenticator>;
    beforeAll(async () => {
      site = await startDemoSite(demo, browser, { accessTokenTtl: 600 });
    });
    afterAll(() => site?.close());
    const mfaStatus = { testId: 'mfa-status' };
    const codeField = { label: 'Code', exact: true };

    it('turns two-factor on from the account page with the shown secret and a code', async () => {
      page = await site.open('/account');
      await signIn(page);
      await accountShown(page);
      await hasText(page, mfaStatus, 'off');

      await page.click(button('Enable two-factor'));
      await page.waitForElement({ testId: 'mfa-secret' });
      const secret = (await page.text({ testId: 'mfa-secret' })) ?? '';
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
      // The QR code is drawn in the page (no QR service sees the secret).
      expect(await page.count({ css: '[data-testid="mfa-qr"] svg path, [data-testid="mfa-qr"] svg rect' })).toBeGreaterThan(0);
      app = authenticator(secret);
      await page.fill(codeField, await app.code());
      await page.click(button('Turn on'));
      await hasText(page, mfaStatus, 'on');
      expect(await page.count({ testId: 'mfa-secret' })).toBe(0); // shown once, while enrolling
      expect((await lines(page)).slice(-2)).toEqual([
        'mfa two-factor: a new secret to scan (POST /auth/mfa/enroll → 200)',
        'mfa two-factor is on (POST /auth/mfa/confirm → 204)',
      ]);
    });

    it('asks for the code at the next sign-in, refuses the one just used and a wrong one, and signs in with a fresh one', async () => {
      await page.click(button('Log out'));
      await signIn(page);
      await page.waitForElement(heading('Two-factor code'));
      expect(await page.count({ testId: 'me-email' })).toBe(0); // the password alone signed nobody in

      // The code that turned two-factor on, still on the app's screen: spent, and the page says so.
      await page.fill(codeField, app.last);
      await page.click(button('Verify'));
      await expect.poll(() => page.text({ role: 'alert' }), poll).toMatch(/^This code was just used; wait for the next one \(in \d+ s\)\.$/);

      await page.fill(codeField, await app.wrongCode());
      await page.click(button('Verify'));
      await hasText(page, { role: 'alert' }, 'Wrong code. Try the one your app shows now.');
      expect(await page.count(heading('Two-factor code'))).toBe(1); // the user can retry

      await page.fill(codeField, await app.code());
      await page.click(button('Verify'));
      await accountShown(page);
      await hasText(page, mfaStatus, 'on');
      const story = await lines(page);
      expect(story.slice(story.indexOf('logout signed out (user)') + 1)).toEqual([
        'mfa password right; the account asks for a second factor (POST /auth/login → 401 mfa_required)',
        'mfa second factor: code refused, already used (POST /auth/mfa/verify → 401)',
        'mfa second factor: code refused (POST /auth/mfa/verify → 401)',
        'mfa second factor: code accepted (POST /auth/mfa/verify → 200)',
        'login signed in as demo@example.com',
        'api GET /api/me → 200',
      ]);
    });

    it('turns two-factor off with a code; then the password alone signs in again', async () => {
      await page.fill(codeField, await app.code());
      await page.click(button('Disable two-factor'));
      await hasText(page, mfaStatus, 'off');

      await page.click(button('Log out'));
      await signIn(page);
      await accountShown(page);
      expect(await page.count(heading('Two-factor code'))).toBe(0);
      expect(await site.errors()).toEqual([]);
    });
  });
});
