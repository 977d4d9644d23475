// Mutation testing of the pure core (issue 16): every mutant Stryker makes in these files must
// be killed by the fast layers alone (vitest.mutation.config.ts: unit, rules, property; no git).
// `npm run test:mutation` runs it and then scripts/mutation-score.mjs, which prints the score
// per file and fails below 85 % on any of them. Reports go to reports/mutation/ (git-ignored).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  mutate: [
    'rules/**/*.ts',
    '!rules/index.ts',
    'src/slug.ts',
    'src/lockfile.ts',
    'src/message/**/*.ts',
    // Not grammar: the loader of a team's own commitlint config (file look-ups, a git call,
    // @commitlint/load), proved against real repositories by test/team-commitlint.test.ts.
    '!src/message/team-commitlint.ts',
    'src/config.ts',
    'src/states.ts',
    'src/session-md.ts',
    // The guard's policy: what an agent's tool call may do (policy.ts), how git reads its
    // arguments (git-call.ts), which pathspecs sweep the tree (paths.ts), which writes reach a
    // frozen SESSION.md (writes.ts). The shell interpreter that feeds it (shell*.ts, words.ts,
    // wrappers.ts) is its input, not its decision, and stays out of this run.
    'src/guard/policy.ts',
    'src/guard/git-call.ts',
    'src/guard/paths.ts',
    'src/guard/writes.ts',
    'src/engine/engine.ts',
  ],
  // The sandbox is a copy of the project: leave out what no fast test reads.
  ignorePatterns: ['dist', 'bench', '.bench', 'examples', 'reports', 'coverage', '.worktrees', '.sessions', '.ci'],
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportScoreTable: true },
  // Static mutants (module-level constants: the slug and header regexes, the config schema,
  // rule meta) each need every related test file reloaded and run: a tenth of the mutants,
  // three quarters of the time. They are left out of the score here; the grammar regexes,
  // the ones that matter, are mutated by hand in scripts/named-mutants.mjs (run by
  // test:mutation) and must each be killed. `--ignoreStatic false` runs them all.
  ignoreStatic: true,
  // Re-runs only mutants whose code or covering tests changed since the last run. The file is
  // committed: it is CI's baseline (.ci/run), and a run here brings it up to date (commit it
  // with the change). `npm run test:mutation:full` (.ci/mutation) re-tests every mutant.
  incremental: true,
  incrementalFile: '.ci/mutation-baseline.json',
  // Two cores: two test runner processes. A busy machine makes runs slow, not wrong: the
  // timeout allowance is generous so a slow mutant is not counted as an infinite loop.
  concurrency: 2,
  timeoutMS: 10_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
