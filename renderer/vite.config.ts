import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The renderer is served by the Electron shell (app://) and by the browser host (http://127.0.0.1),
 * both under a strict CSP (script-src 'self'): relative asset URLs, no inline scripts, no external
 * fonts or CDNs.
 */
export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // The polyfill is bundled, not inlined, but modern Chromium (Electron and the e2e browser) needs none.
    modulePreload: { polyfill: false },
    // One self-contained folder: no inlined data: scripts or fonts.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    // The renderer imports its types and the media presets from ../shared.
    fs: { allow: [repoRoot] },
  },
});
