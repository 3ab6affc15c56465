// Builds the React UI into renderer/dist: served by the headless console and loaded from
// disk by the desktop window, hence relative asset paths.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${import.meta.dirname}/dist`,
    emptyOutDir: true,
    // Inline assets would be data: URLs that the CSP refuses for scripts.
    assetsInlineLimit: 0,
  },
});
