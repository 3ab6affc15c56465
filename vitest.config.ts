import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Node tests by default; renderer component tests opt into happy-dom with a
// `// @vitest-environment happy-dom` comment at their top.
export default defineConfig({
  plugins: [react()],
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
