import { defineConfig } from 'vitest/config';

// Unit tests: Node, no browser. Science tests train real models, so timeouts are generous.
// Two workers: vitest's default on a 2-core machine is one, which leaves a core idle for most of the suite.
export default defineConfig({
  test: {
    maxWorkers: 2,
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
