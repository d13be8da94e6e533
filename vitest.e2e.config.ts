import { defineConfig } from 'vitest/config';

// End-to-end tests: a built app served by `vite preview`, driven in Debian's headless Chromium.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
