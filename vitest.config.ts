import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One PostgreSQL server for the run; each PostgreSQL test creates its own database on it.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Delivery tests start servers and child processes, and spend much of their time waiting
    // on them: three workers keep two cores busy (the suite on Node 24: 226 s with two, 176 s
    // with three).
    maxWorkers: 3,
    // A worker runs its test files one after another in one module graph: src/ and its
    // dependencies are imported once per worker, not once per file (2.5x faster on the
    // delivery, events, config and receiver files). Test files share no state through it:
    // none leaves a global, a module or the env stubbed, and each stops what it starts.
    isolate: false,
  },
});
