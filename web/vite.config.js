import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// base './': the C server embeds dist/ and serves /index.html and /assets/*, so every
// asset URL in the bundle is relative. During `npm run dev`, /api is proxied to a
// running `ronghe serve` (RONGHE_DEV_API, default 127.0.0.1:8090).
export default defineConfig({
  base: './',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
    // two pages: the admin interface, and the public 12309 progress page (/progress)
    rollupOptions: { input: { main: 'index.html', progress: 'progress.html' } },
  },
  server: {
    proxy: {
      '/api': { target: 'http://' + (process.env.RONGHE_DEV_API || '127.0.0.1:8090') },
    },
  },
})
