import { defineConfig } from 'vitest/config';

// Unit tests: Node, no browser. Science tests train real models, so timeouts are generous.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
