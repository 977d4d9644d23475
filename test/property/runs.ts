import fc from 'fast-check';

/**
 * `numRuns` for a property: `n` normally, at most the global setting when one is configured
 * (the mutation run sets a fixed seed and fewer runs in test/mutation-setup.ts).
 */
export function runs(n: number): { numRuns: number } {
  const global = fc.readConfigureGlobal().numRuns;
  return { numRuns: global === undefined ? n : Math.min(n, global) };
}
