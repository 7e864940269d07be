// @vitest-environment node
// Issue 20: a browser asks every page without an icon for /favicon.ico, which the demos do not
// have: a red 404 in the console of a demo that works. Their pages name an icon that is no request.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe.each(['react-spa', 'vue-spa'])('examples/%s/index.html', (demo) => {
  it('names an inline icon, so the browser requests no /favicon.ico', () => {
    const html = readFileSync(new URL(`../../examples/${demo}/index.html`, import.meta.url), 'utf8');
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head.match(/<link rel="icon" href="([^"]*)"/)?.[1]).toMatch(/^data:/);
  });
});
