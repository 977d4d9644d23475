// Builds dist/: the CLI and library as ESM with shared chunks (dependencies stay in
// node_modules), and the hook runner as ONE self-contained CommonJS file, because it
// starts on every commit and Node should open a single file, not hundreds.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const withTypes = process.argv.includes('--types');
process.chdir(root);
// Only a release build starts from an empty dist/: during development several test runs may
// build at once, and removing dist/ under a running test would make it fail for no reason.
if (process.argv.includes('--clean')) rmSync('dist', { recursive: true, force: true });

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const TEAM_COMMITLINT = ['@commitlint/load', '@commitlint/lint'];
const common = { define: { __AGENT_SESSIONS_VERSION__: JSON.stringify(version) }, bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', legalComments: 'none' };

await build({
  ...common,
  // dist/cli.js is the bin's small dispatcher (src/cli/entry.ts); the full CLI is its chunk.
  entryPoints: { cli: 'src/cli/entry.ts', index: 'src/index.ts' },
  outdir: 'dist',
  format: 'esm',
  splitting: true,
  chunkNames: '[name]-[hash]',
  // Bundling the small dependencies (commander, zod, micromatch, yaml...) saves Node's module
  // resolution on every CLI start. Kept external: husky copies files that sit beside its
  // module, the MCP SDK loads only for `mcp`; nunjucks is bundled (one file instead of a
  // dozen CommonJS ones to resolve), without its optional file watchers.
  external: ['husky', 'simple-git', 'chokidar', 'fsevents', '@modelcontextprotocol/sdk', '@modelcontextprotocol/sdk/*', ...TEAM_COMMITLINT],
  // Bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import { createRequire as __asCreateRequire } from 'node:module'; const require = __asCreateRequire(import.meta.url);" },
});
chmodSync('dist/cli.js', 0o755);
// The guard's shell parser (src/guard/shell-parser.ts) reads these beside its chunk in dist/.
copyFileSync('node_modules/web-tree-sitter/web-tree-sitter.wasm', 'dist/web-tree-sitter.wasm');
copyFileSync('node_modules/tree-sitter-bash/tree-sitter-bash.wasm', 'dist/tree-sitter-bash.wasm');

// The claim race's CLI (src/cli/lean.ts: `next`, `claim <slug>` without commander) as ONE
// CommonJS file too: 16 agents starting at once each paid for resolving ~30 ESM chunks.
// What only a rare path loads stays out: yaml (hook-manager editors, for a clone without
// hooks), micromatch (--match), the commit parser (a header the quick check cannot pass) and
// zod (the config's validation, cached by its text; install-hooks fills the cache).
await build({
  ...common,
  // `check` and `check --all` (src/check/lean-check.ts) the same way: one file, no commander.
  entryPoints: { lean: 'src/cli/lean.ts', 'lean-check': 'src/check/lean-check.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  external: ['husky', 'simple-git', 'chokidar', 'fsevents', '@modelcontextprotocol/sdk', '@modelcontextprotocol/sdk/*', ...TEAM_COMMITLINT, 'yaml', 'micromatch', '@commitlint/parse', 'conventional-commits-parser', 'zod'],
  minifyWhitespace: true,
  minifySyntax: true,
  // package-root.ts and push-shortcuts.ts find files beside their module.
  define: { ...common.define, 'import.meta.url': '__asModuleUrl' },
  banner: { js: "const __asModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});

// The agents' guard (src/cli/lean-guard.ts) as ONE file too, every tool call starts it; an ES
// module, because the shell parser loads with a top-level await. It reads the .wasm files
// beside it, as the CLI's guard chunk does.
await build({
  ...common,
  entryPoints: { 'lean-guard': 'src/cli/lean-guard.ts' },
  outdir: 'dist',
  format: 'esm',
  external: ['husky', 'simple-git', 'chokidar', 'fsevents', '@modelcontextprotocol/sdk', '@modelcontextprotocol/sdk/*', ...TEAM_COMMITLINT],
  minifyWhitespace: true,
  minifySyntax: true,
  banner: { js: "import { createRequire as __asCreateRequire } from 'node:module'; const require = __asCreateRequire(import.meta.url);" },
});

await build({
  ...common,
  entryPoints: { hook: 'src/hooks/run.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  // A team's commitlint config loads through cosmiconfig and a TypeScript loader: kept out of
  // the one file every hook opens, imported only in a repository that has such a config.
  // (yaml too: read only when a team's commitlint config is YAML; the CLI bundles it.)
  external: [...TEAM_COMMITLINT, 'yaml'],
  minifyWhitespace: true,
  minifySyntax: true,
});

// The hub's pre-receive starts through this loader, which compiles the runner above with V8's
// code cache (src/hooks/server-loader.ts); install-server-hook copies both.
await build({
  ...common,
  entryPoints: { 'hook-loader': 'src/hooks/server-loader.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  minifyWhitespace: true,
});

if (withTypes) {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
