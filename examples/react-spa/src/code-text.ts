// What the demos say about a refused second-factor code. Each code works once: the server answers a
// code it has already accepted with `reason: 'replayed'` (still `invalid_code`, so for the client a
// code to retype), and the user can only wait for the authenticator app's next code.

/** Authenticator apps (TOTP) show a new code at every 30 s of the clock. */
const STEP_MS = 30_000;

/** Whole seconds until an authenticator app shows its next code, at `now` (epoch ms). */
export const secondsToNextCode = (now: number) => Math.ceil((STEP_MS - (now % STEP_MS)) / 1000);

/** For a code the server refused as already used. */
export const codeUsedText = (now = Date.now()) => `This code was just used; wait for the next one (in ${secondsToNextCode(now)} s).`;
