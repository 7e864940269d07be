// Budgets for `npx size-limit` (npm run size), minified and gzipped. A JS file rather than the
// package.json key only for modifyEsbuildConfig below.

/**
 * size-limit's esbuild writes an IIFE, where an ignored package becomes `require()` wrapped in
 * CommonJS interop (~230 B gzipped for a default import). axios is ESM for bundlers (its `exports`
 * map `import` to index.js), so apps import it as ESM: measure in ESM output, as they bundle it.
 */
const asEsm = (config) => ({ ...config, format: 'esm' });

export default [
  {
    name: 'tokenkeeper (core)',
    path: 'dist/index.js',
    import: '{ createAuthClient, AuthError }',
    gzip: true,
    limit: '6.5 kB',
  },
  {
    name: 'tokenkeeper/ky (without ky)',
    path: 'dist/ky.js',
    import: '{ createAuthKy }',
    ignore: ['ky'],
    gzip: true,
    limit: '1 kB',
  },
  {
    name: 'tokenkeeper/axios (without axios)',
    path: 'dist/axios.js',
    import: '{ createAuthAxios }',
    ignore: ['axios'],
    modifyEsbuildConfig: asEsm,
    gzip: true,
    limit: '300 B',
  },
  {
    name: 'tokenkeeper/react (without react)',
    path: 'dist/react.js',
    import: '{ AuthProvider, useAuth, useAuthFetch, RequireAuth, safeReturnTo }',
    ignore: ['react'],
    gzip: true,
    limit: '1 kB',
  },
  {
    name: 'tokenkeeper/vue (without vue)',
    path: 'dist/vue.js',
    import: '{ createAuthPlugin, useAuth, createAuthGuard, safeReturnTo }',
    ignore: ['vue'],
    gzip: true,
    limit: '1 kB',
  },
  {
    name: 'tokenkeeper/dpop',
    path: 'dist/dpop.js',
    import: '{ createDpop }',
    gzip: true,
    limit: '1.5 kB',
  },
  // A module's cost is what it adds to an app that already has the core: size-limit cannot subtract,
  // so these measure core + module (limit: the core's 6.5 kB + the module's budget), and
  // .ci/module-sizes.mjs prints and checks the difference from the core alone.
  {
    name: 'tokenkeeper + tokenkeeper/sessions',
    path: ['dist/index.js', 'dist/sessions.js'],
    import: { 'dist/index.js': '{ createAuthClient, AuthError }', 'dist/sessions.js': '{ listSessions, revokeSession }' },
    gzip: true,
    limit: '7 kB',
  },
  {
    name: 'tokenkeeper + tokenkeeper/idle',
    path: ['dist/index.js', 'dist/idle.js'],
    import: { 'dist/index.js': '{ createAuthClient, AuthError }', 'dist/idle.js': '{ createIdleTimeout }' },
    gzip: true,
    limit: '7.5 kB',
  },
  {
    name: 'tokenkeeper/msw (test helper, without msw)',
    path: 'dist/msw.js',
    import: '{ createAuthServer }',
    ignore: ['msw'],
    gzip: true,
    limit: '7.5 kB',
  },
];
