// The Vue demo, served at /vue/ next to the React one (see ../react-spa/vite.config.ts).
// Dev server: `node examples/server/main.mjs` and `npx vite examples/vue-spa`, then open /vue/.
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const authServer = 'http://127.0.0.1:4000';

export default defineConfig({
  root: here('.'),
  base: '/vue/',
  plugins: [vue()],
  resolve: {
    // The built package (`npm run build`), as an app that installed tokenkeeper would use it.
    alias: [
      { find: /^tokenkeeper$/, replacement: here('../../dist/index.js') },
      { find: /^tokenkeeper\/vue$/, replacement: here('../../dist/vue.js') },
      { find: /^tokenkeeper\/sessions$/, replacement: here('../../dist/sessions.js') },
      { find: /^tokenkeeper\/idle$/, replacement: here('../../dist/idle.js') },
    ],
  },
  // Inside the React demo's output, so one static dir serves React at / and Vue at /vue/.
  // Build it after the React demo, which empties that folder.
  build: { outDir: here('../.demo-dist/react/vue'), emptyOutDir: true },
  server: {
    proxy: { '/auth': authServer, '/api': authServer, '/__stats': authServer },
  },
});
