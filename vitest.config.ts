import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Delivery tests start servers and child processes; two cores share them.
    maxWorkers: 2,
  },
});
