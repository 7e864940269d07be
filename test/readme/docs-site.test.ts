// @vitest-environment node
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sidebar } from '../../docs/.vitepress/sidebar';

// A page the sidebar leaves out is a page nobody finds (search aside); a link to no page would be
// caught by the build's dead-link check, but only for links in pages, not in the sidebar.
const docs = fileURLToPath(new URL('../../docs/', import.meta.url));

/** Every Markdown page of docs/, as the site's link to it ('/options', '/recipes/'). */
const pages = readdirSync(docs, { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.md') && !path.startsWith('.vitepress'))
  .map((path) => `/${path.replace(/\\/g, '/').replace(/(^|\/)index\.md$/, '$1').replace(/\.md$/, '')}`)
  .sort();

const links = sidebar.flatMap((group) => (group.items ?? []).map((item) => item.link ?? '')).sort();

describe('the docs site', () => {
  it('finds the pages of docs/', () => {
    expect(pages).toEqual(expect.arrayContaining(['/', '/options', '/getting-started/', '/getting-started/react', '/recipes/']));
  });

  it('links every page of docs/ from the sidebar, once', () => {
    expect(pages.filter((page) => !links.includes(page))).toEqual([]);
    expect(links.filter((link, index) => links.indexOf(link) !== index)).toEqual([]);
  });

  it('links only pages that exist', () => {
    expect(links.filter((link) => !pages.includes(link))).toEqual([]);
  });
});
