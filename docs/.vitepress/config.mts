import { defineConfig } from 'vitepress';
import { sidebar } from './sidebar';

// The docs site (`npm run docs:dev`, `npm run docs:build`): the Markdown pages of docs/ as they
// are, one topic a page. Dead links fail the build (VitePress's default); search runs in the page.
export default defineConfig({
  title: 'tokenkeeper',
  description: 'The auth client for single-page apps: access token in memory, refresh token in an httpOnly cookie.',
  cleanUrls: true,
  lastUpdated: false,
  themeConfig: {
    search: { provider: 'local' },
    outline: 'deep',
    nav: [
      { text: 'Getting started', link: '/getting-started/' },
      { text: 'Options', link: '/options' },
      { text: 'Recipes', link: '/recipes/' },
      { text: 'Changelog', link: '/changelog' },
    ],
    sidebar,
  },
});
