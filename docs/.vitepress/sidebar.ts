import type { DefaultTheme } from 'vitepress';

/** A sidebar group from [title, link] pairs. */
const group = (text: string, pages: [string, string][]): DefaultTheme.SidebarItem => ({
  text,
  items: pages.map(([title, link]) => ({ text: title, link })),
});

/** Every page of docs/, in reading order (test/readme/docs-site.test.ts checks that none is left out). */
export const sidebar: DefaultTheme.SidebarItem[] = [
  group('Start', [
    ['What it is', '/'],
    ['Install', '/install'],
    ['Getting started', '/getting-started/'],
    ['React', '/getting-started/react'],
    ['Vue', '/getting-started/vue'],
    ['No framework', '/getting-started/no-framework'],
    ['Development set-up', '/development'],
    ['Deployment: same site or cross site', '/deployment'],
  ]),
  group('Reference', [
    ['Options', '/options'],
    ['The client', '/client'],
    ['authFetch', '/auth-fetch'],
    ['Errors', '/errors'],
    ['One user shape', '/user'],
    ['Debugging', '/debugging'],
    ['React, Vue, ky and axios', '/adapters'],
    ['Many tabs', '/many-tabs'],
    ['Wire protocol', '/wire-protocol'],
  ]),
  group('Recipes', [
    ['All recipes', '/recipes/'],
    ['better-auth', '/recipes/better-auth'],
    ['Directus', '/recipes/directus'],
    ['NocoDB', '/recipes/nocodb'],
    ['Django (dj-rest-auth)', '/recipes/dj-rest-auth'],
  ]),
  group('Security', [
    ['Security model', '/security'],
    ['DPoP', '/dpop'],
    ['Second factor', '/second-factor'],
  ]),
  group('Modules', [
    ['Signed-in devices', '/devices'],
    ['Idle timeout', '/idle'],
    ['Extending tokenkeeper', '/extending'],
  ]),
  group('Testing and servers', [
    ['Testing with tokenkeeper/msw', '/testing'],
    ['The example server', '/example-server'],
  ]),
  group('Project', [
    ['Size and speed', '/size-and-speed'],
    ['Engines', '/engines'],
    ['Migrating from 0.2', '/migrating'],
    ['Changelog', '/changelog'],
    ['Contributing', '/contributing'],
  ]),
];
