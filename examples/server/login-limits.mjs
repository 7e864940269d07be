// Password guessing limits, with rate-limiter-flexible: tries per account (the email, whether or
// not it has an account, so a 429 tells nobody which emails exist) and per client address, each
// taken before the password is checked, so parallel guesses cannot all pass. The counters live
// where the store keeps its data: in this process, or in the Redis every instance shares.
import { RateLimiterRes } from 'rate-limiter-flexible';
import { tooManyAttempts } from './http.mjs';

/**
 * @param {object} options
 * @param {import('./stores/index.d.mts').AuthStore} options.store
 * @param {number} options.perAccount tries per email per window
 * @param {number} options.perAddress tries per client address per window
 * @param {number} options.windowSeconds the window, from a key's first try
 */
export function createLoginLimits({ store, perAccount, perAddress, windowSeconds }) {
  const byAccount = store.rateLimiter({ keyPrefix: 'login-account', points: perAccount, duration: windowSeconds });
  const byAddress = store.rateLimiter({ keyPrefix: 'login-address', points: perAddress, duration: windowSeconds });
  // As the store compares emails: any case is the same account.
  const account = (/** @type {string} */ email) => email.toLowerCase();
  return {
    /**
     * Takes a try for the email, then one for the address; throws the 429 when either has none left.
     * @param {string} email @param {string} address
     */
    async attempt(email, address) {
      try {
        await byAccount.consume(account(email));
        await byAddress.consume(address);
      } catch (error) {
        // The library rejects with its result when a limit is reached; anything else is the store failing.
        if (error instanceof RateLimiterRes) throw tooManyAttempts(error.msBeforeNext);
        throw error;
      }
    },
    /**
     * A right password is no guess: the email's count starts again and the address gets its try back.
     * @param {string} email @param {string} address
     */
    async succeeded(email, address) {
      await Promise.all([byAccount.delete(account(email)), byAddress.reward(address, 1)]);
    },
  };
}
