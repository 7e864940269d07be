// `npm start` builds this with Vite's JS API (examples/start.mjs). For hot reload instead, run the
// auth server (`node examples/server/main.mjs`) and `npx vite examples/react-spa`: the dev server
// proxies the auth and API paths to it.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const authServer = 'http://127.0.0.1:4000';

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: {
    // The demo runs on the built package (`npm run build`), as an app that installed it would.
    alias: [
      { find: /^tokenkeeper$/, replacement: here('../../dist/index.js') },
      { find: /^tokenkeeper\/react$/, replacement: here('../../dist/react.js') },
      { find: /^tokenkeeper\/sessions$/, replacement: here('../../dist/sessions.js') },
      { find: /^tokenkeeper\/idle$/, replacement: here('../../dist/idle.js') },
    ],
  },
  build: {
    // The Vue demo builds into ./vue of this folder afterwards, so one static dir serves both.
    outDir: here('../.demo-dist/react'),
    emptyOutDir: true,
  },
  server: {
    proxy: { '/auth': authServer, '/api': authServer, '/__stats': authServer },
  },
});
