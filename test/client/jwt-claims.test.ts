import fc from 'fast-check';
import { jwtDecode } from 'jwt-decode';
import { describe, expect, it } from 'vitest';
import { decodeClaims } from '../../src/expiry';

// The core reads a JWT's payload itself; jwt-decode (a devDependency here) is the oracle.
const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const jwtOf = (payload: string) => `${base64url('{"alg":"HS256","typ":"JWT"}')}.${base64url(payload)}.c2ln`;

function oracle(token: string): Record<string, unknown> | null {
  try {
    const claims: unknown = jwtDecode(token);
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

describe('decodeClaims', () => {
  it('agrees with jwt-decode on any JSON payload, unicode included', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const token = jwtOf(JSON.stringify(value));
        expect(decodeClaims(token)).toEqual(oracle(token));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with jwt-decode on arbitrary strings (opaque tokens): null rather than a throw', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        for (const token of [a, `${a}.${b}`, `${a}.${b}.${a}`]) expect(decodeClaims(token)).toEqual(oracle(token));
      }),
      { numRuns: 500 },
    );
  });

  it('reads a payload with names in several scripts', () => {
    const claims = { sub: 'u1', name: 'Zoë Ærøskøbing 山田 🙂', exp: 2_000_000_000 };
    expect(decodeClaims(jwtOf(JSON.stringify(claims)))).toEqual(claims);
  });
});
