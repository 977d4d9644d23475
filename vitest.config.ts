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
    maxWorkers: 3,
  },
});
