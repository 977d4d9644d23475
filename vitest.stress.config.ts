import { defineConfig } from 'vitest/config';

// The stress suites. faults.test.ts compares docs/SECURITY.md's fault figure with the
// scenarios that ran and survived in this run (test/helpers/case-ledger.ts) once they are done.
export default defineConfig({
  test: {
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // child-env: no NODE_EXTRA_CA_CERTS for the processes tests start (test/helpers/child-env.ts);
    // cleanup: removes each test file's temp folders when it is done (test/helpers/temp.ts)
    setupFiles: ['test/helpers/child-env.ts', 'test/helpers/cleanup.ts'],
    maxWorkers: 1,
    globalSetup: ['test/helpers/ledger-global-setup.ts'],
    include: ['test/stress/**/*.test.ts'],
  },
});
