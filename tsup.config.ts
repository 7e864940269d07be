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
  // Dependencies and peers stay external: users' bundlers dedupe them. Adapters import the core
  // only as types, so each entry stays independent and every entry shares the user's one client.
});
