import { defineConfig } from 'vitest/config';

// Tests spawn real git and real child processes; two cores are shared by everything,
// so keep parallelism modest and timeouts generous (timing is measured in bench/, never here).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/stress/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // removes each test file's temp folders when it is done (test/helpers/temp.ts)
    setupFiles: ['test/helpers/cleanup.ts'],
    maxWorkers: 3,
  },
});
