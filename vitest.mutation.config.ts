import { defineConfig } from 'vitest/config';

// The fast layers only (unit, rules, property): pure code, no git process, no CLI child.
// `npm run test:mutation` runs Stryker on these; so must be seconds, and every file here must
// stay free of git (a test that needs a repository belongs with the integration tests or in
// the exclude list below).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/rules/**/*.test.ts', 'test/property/**/*.test.ts'],
    exclude: [
      // real repositories: the tree builder against git's own index, HEAD from a packed ref
      'test/unit/tree-builder.test.ts',
      'test/unit/head-oid.test.ts',
    ],
    setupFiles: ['test/mutation-setup.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
