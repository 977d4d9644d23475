import { defineConfig } from 'vitest/config';

// The same pool and setup as the main suite, for the temp-folder probe only.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/fixtures-temp/probe.fixture.ts'],
    pool: 'forks',
    setupFiles: ['test/helpers/cleanup.ts'],
    testTimeout: 60_000,
  },
});
