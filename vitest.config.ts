import { defineConfig } from 'vitest/config';

// Tests spawn real git and real child processes; two cores are shared by everything,
// so keep parallelism modest and timeouts generous (timing is measured in bench/, never here).
// Two groups: every suite first, then the count test, which compares docs/SECURITY.md with the
// hostile cases that ran and held in this run (test/helpers/case-ledger.ts).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 3,
    globalSetup: ['test/helpers/ledger-global-setup.ts'],
    // child-env: the processes tests start go without NODE_EXTRA_CA_CERTS (test/helpers/child-env.ts);
    // cleanup: removes each test file's temp folders when it is done (test/helpers/temp.ts);
    // ledger-setup: records the hostile cases that ran and held (test/helpers/case-ledger.ts)
    setupFiles: ['test/helpers/child-env.ts', 'test/helpers/cleanup.ts', 'test/helpers/ledger-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'suites', include: ['test/**/*.test.ts'], exclude: ['test/stress/**', 'test/security/hostile-count.test.ts'], sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: 'counts', include: ['test/security/hostile-count.test.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
});
