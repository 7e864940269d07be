// @vitest-environment node
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';

// The CommonJS build, as `require('tokenkeeper')` loads it (npm install builds dist/ through the
// prepare script). Every entry must share one AuthError class, or the core mistakes an error
// thrown by tokenkeeper/dpop for an unexpected one.
const require = createRequire(import.meta.url);
const dist = new URL('../../dist/', import.meta.url);
const crypto = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
afterEach(() => Object.defineProperty(globalThis, 'crypto', crypto));

describe('the CommonJS entries', () => {
  it('share one AuthError: an error from tokenkeeper/dpop is an instanceof the core’s', () => {
    expect(existsSync(new URL('index.cjs', dist)), 'dist/ is built by npm install (prepare)').toBe(true);
    const core = require('../../dist/index.cjs') as typeof import('tokenkeeper');
    const { createDpop } = require('../../dist/dpop.cjs') as typeof import('tokenkeeper/dpop');
    Object.defineProperty(globalThis, 'crypto', { value: {}, configurable: true }); // no WebCrypto here

    let thrown: unknown;
    try {
      createDpop().bind();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(core.AuthError);
    expect(thrown).toMatchObject({ code: 'network' });
  });
});
