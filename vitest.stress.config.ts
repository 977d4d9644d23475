import { defineConfig } from 'vitest/config';

// The stress suites, then the count test that compares docs/SECURITY.md's fault figure with
// the scenarios that ran and survived in this run (test/helpers/case-ledger.ts).
export default defineConfig({
  test: {
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // removes each test file's temp folders when it is done (test/helpers/temp.ts)
    setupFiles: ['test/helpers/cleanup.ts'],
    maxWorkers: 1,
    globalSetup: ['test/helpers/ledger-global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'stress', include: ['test/stress/**/*.test.ts'], exclude: ['test/stress/fault-count.test.ts'], sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'counts', include: ['test/stress/fault-count.test.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
});
