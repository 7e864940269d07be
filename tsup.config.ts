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
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'es2022',
  sourcemap: true,
  treeshake: true,
  // Dependencies and peers stay external: users' bundlers dedupe them. Adapters import the core
  // only as types, so each entry stays independent and every entry shares the user's one client.
});
