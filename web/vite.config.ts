import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// `npm run web:dev` proxies the API to a server started with `npm start` (PORT, default 4000).
const apiTarget = `http://localhost:${process.env.PORT ?? 4000}`;

/** The dashboard, served by the API server at /app from web/dist (`npm run web:build`). */
export default defineConfig({
  root,
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every asset is a file the server lists at start; nothing is inlined into a data: URL but tiny ones.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 400,
  },
  server: {
    port: 5173,
    proxy: { '/graphql': apiTarget },
  },
});
