import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The app. Relative asset URLs ('./'), so the edge may serve it from any path; one JS entry, no lazy chunks, so
// that a page an old service worker serves never asks for a chunk the new deploy removed.
export default defineConfig({
  base: './',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  server: {
    // npm run dev against a local stack, routed as the edge routes: reads to the query side, the rest to the
    // command side. The first matching rule wins.
    proxy: {
      '^/api/v1/elections/[^/]+/(votes|ballot-tokens)': 'http://localhost:8081',
      '^/api/v1/admin': 'http://localhost:8081',
      '^/api/': 'http://localhost:8082',
    },
  },
  test: {
    include: ['test/**/*.test.js'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
