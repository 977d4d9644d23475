import { defineConfig, type Plugin } from 'vitest/config';

// The fast layers only (unit, rules, property): pure code, no git process, no CLI child.
// `npm run test:mutation` runs Stryker on these; so must be seconds, and every file here must
// stay free of git (a test that needs a repository belongs with the integration tests or in
// the exclude list below).

/**
 * scripts/named-mutants.mjs: NAMED_MUTANT={"file","from","to"} makes one loosening in the
 * source as vitest loads it (before TypeScript is stripped), in memory only: the work tree is
 * never written, so several mutants can run at once. A `from` that is not in the file fails
 * the run instead of testing the original.
 */
function namedMutant(): Plugin[] {
  const spec = process.env.NAMED_MUTANT;
  if (!spec) return [];
  const { file, from, to } = JSON.parse(spec) as { file: string; from: string; to: string };
  return [
    {
      name: 'named-mutant',
      enforce: 'pre',
      transform(code, id) {
        if (!id.split('?')[0]!.endsWith(`/${file}`)) return undefined;
        if (!code.includes(from)) throw new Error(`named mutant: ${file} no longer holds ${from}`);
        return { code: code.replace(from, to), map: null };
      },
    },
  ];
}

export default defineConfig({
  plugins: namedMutant(),
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
