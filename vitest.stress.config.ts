import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/stress/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // removes each test file's temp folders when it is done (test/helpers/temp.ts)
    setupFiles: ['test/helpers/cleanup.ts'],
    maxWorkers: 1,
  },
});
