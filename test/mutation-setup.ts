// Setup for the mutation run only (vitest.mutation.config.ts): the property tests use one
// fixed seed, so a mutant is killed or survives the same way on every run (Stryker's
// incremental mode reuses earlier verdicts), and fewer runs per property, since Stryker runs
// the covering tests once per mutant. The edge generators (test/property/*edges*) reach the
// boundaries within these runs by construction.
import fc from 'fast-check';

fc.configureGlobal({ seed: 20_251_130, numRuns: 300 });
