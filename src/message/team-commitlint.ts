// The team's own commitlint configuration, run on the message with the `[<slug>] ` prefix
// removed, so a team that already lints with commitlint (scope-enum, subject-case, body
// rules...) keeps every rule it had. Found with a few stat calls at the repository's top (no
// cosmiconfig walk up to $HOME); @commitlint/load and @commitlint/lint are imported only when
// such a file exists, so the hooks of a repository without one pay nothing.
//
// Trust: a commitlint.config.js is code. It runs where the team's own commitlint would run it
// (commit-msg in the developer's checkout, pre-push, CI's check), never in the hub's
// pre-receive: a pushed config must not run on the hub (docs/SECURITY.md).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** cosmiconfig's search places for "commitlint", as @commitlint/load lists them. */
const CONFIG_FILES = [
  '.commitlintrc',
  '.commitlintrc.json',
  '.commitlintrc.yaml',
  '.commitlintrc.yml',
  '.commitlintrc.js',
  '.commitlintrc.cjs',
  '.commitlintrc.mjs',
  'commitlint.config.js',
  'commitlint.config.cjs',
  'commitlint.config.mjs',
  '.commitlintrc.ts',
  '.commitlintrc.cts',
  '.commitlintrc.mts',
  'commitlint.config.ts',
  'commitlint.config.cts',
  'commitlint.config.mts',
];

export interface TeamLintProblem {
  name: string;
  message: string;
}

/** Lints a header-and-body message (without the `[<slug>] ` prefix) with the team's rules. */
export type TeamLint = (message: string) => Promise<TeamLintProblem[]>;

/** The team's commitlint config file at `top` (or "package.json" with a commitlint key). */
export function findTeamCommitlintConfig(top: string): string | undefined {
  for (const name of CONFIG_FILES) if (existsSync(join(top, name))) return name;
  for (const name of ['package.json', 'package.yaml']) {
    const file = join(top, name);
    if (!existsSync(file)) continue;
    try {
      const text = readFileSync(file, 'utf8');
      // A cheap look before a parse: most package.json files never mention commitlint.
      if (!text.includes('commitlint')) continue;
      if (name === 'package.json' && JSON.parse(text)?.commitlint !== undefined) return name;
      if (name === 'package.yaml' && /^commitlint:/m.test(text)) return name;
    } catch {
      /* unreadable or not JSON: commitlint would not read it either */
    }
  }
  return undefined;
}

const loaded = new Map<string, Promise<TeamLint | undefined>>();

/** The team's lint function, or undefined when the repository has no commitlint config. */
export function loadTeamLint(top: string): Promise<TeamLint | undefined> {
  const file = findTeamCommitlintConfig(top);
  if (!file) return Promise.resolve(undefined);
  const key = join(top, file);
  let pending = loaded.get(key);
  if (!pending) {
    pending = build(top, file);
    loaded.set(key, pending);
  }
  return pending;
}

async function build(top: string, file: string): Promise<TeamLint> {
  const [{ default: load }, { default: lint }] = await Promise.all([import('@commitlint/load'), import('@commitlint/lint')]);
  const config = await load({}, { cwd: top, file });
  const options = {
    ...(config.parserPreset?.parserOpts ? { parserOpts: config.parserPreset.parserOpts as never } : {}),
    ...(config.plugins ? { plugins: config.plugins } : {}),
    ...(config.ignores ? { ignores: config.ignores } : {}),
    ...(config.defaultIgnores !== undefined ? { defaultIgnores: config.defaultIgnores } : {}),
    ...(config.helpUrl ? { helpUrl: config.helpUrl } : {}),
  };
  return async (message) => {
    const outcome = await lint(message, config.rules, options);
    return outcome.errors.map((e) => ({ name: e.name, message: e.message }));
  };
}

/** The message with its `[<prefix>] ` removed from the header, as the team's rules expect it. */
export function withoutPrefix(message: string): string {
  return message.replace(/^\[[^\]\s]+\] /, '');
}
