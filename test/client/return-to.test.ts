import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeReturnTo as fromReact } from 'tokenkeeper/react';
import { safeReturnTo } from 'tokenkeeper/vue';

// safeReturnTo: a login page's `returnTo` comes from a URL anyone can craft; it must never leave the site.
const APP = 'https://app.example.com';
/** Where a browser goes for `location.assign(path)` on the app (the strictest consumer of the value). */
const lands = (path: string) => new URL(path, `${APP}/login`).origin;

describe('safeReturnTo', () => {
  it.each([
    '//evil.com',
    '//evil.com/path?q=1',
    'https://evil.com',
    'http:evil.com',
    '/\\evil.com',
    '\\\\evil.com',
    '/\t/evil.com', // the URL parser drops tabs and newlines: this is //evil.com
    '/\n/evil.com',
    '/a/..//evil.com', // normalises to //evil.com
    '/%2e%2e//evil.com',
    'javascript:alert(1)',
    ' /account',
    'account',
    '',
  ])('refuses %j', (attack) => {
    expect(safeReturnTo(attack)).toBe('/');
    expect(safeReturnTo(attack, '/home')).toBe('/home');
  });

  it.each([null, undefined, 42, ['/account'], { path: '/account' }])('refuses a non-string %j', (value) => {
    expect(safeReturnTo(value)).toBe('/');
  });

  it('keeps a path on this site, with its query and hash', () => {
    expect(safeReturnTo('/account')).toBe('/account');
    expect(safeReturnTo('/account?tab=devices&x=%2F%2Fevil.com#top')).toBe('/account?tab=devices&x=%2F%2Fevil.com#top');
    expect(safeReturnTo('/a/../account')).toBe('/account');
    expect(fromReact).toBe(safeReturnTo);
  });

  it('never answers anything that leaves the site, whatever the input', () => {
    const piece = fc.constantFrom('/', '\\', '.', '..', '%2f', '%5c', ':', '@', '\t', '\n', ' ', '?', '#', 'evil.com', 'a', 'javascript:');
    fc.assert(
      fc.property(fc.boolean(), fc.array(piece, { maxLength: 8 }), (rooted, parts) => {
        const input = (rooted ? '/' : '') + parts.join('');
        const out = safeReturnTo(input, '/fallback');
        expect(lands(out)).toBe(APP);
        expect(out.startsWith('/') && !out.startsWith('//') && !out.startsWith('/\\')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
