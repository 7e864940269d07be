import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    ky: 'src/ky.ts',
    axios: 'src/axios.ts',
    react: 'src/react.ts',
    vue: 'src/vue.ts',
    msw: 'src/msw/index.ts',
    dpop: 'src/dpop.ts',
    sessions: 'src/sessions.ts',
    idle: 'src/idle.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'es2022',
  sourcemap: true,
  treeshake: true,
  // CommonJS too: one AuthError class shared by every entry, so the core's instanceof holds for an
  // error thrown in tokenkeeper/dpop (each .cjs would otherwise carry its own copy).
  splitting: true,
  // Internal property names end in `_` (`session.hold_`, `store.epoch_()`), and the build shortens
  // them, as preact does its own. The core is an assembly of small parts that talk through objects:
  // their property names would otherwise ship as written, in every app. Only these names: public
  // types never use one (test/package/mangled-names.test.ts reads the .d.ts), nor does anything sent
  // to other tabs, whose names must match across versions. ESM and CJS are separate builds, each
  // consistent within itself (the entries of one format share chunks).
  esbuildOptions(options) {
    options.mangleProps = /[A-Za-z0-9]_$/;
  },
  // Dependencies and peers stay external: users' bundlers dedupe them. Adapters import the core
  // only as types, so each entry stays independent and every entry shares the user's one client.
});
