// The team's own commitlint configuration, run on the message with the `[<slug>] ` prefix
// removed, so a team that already lints with commitlint (scope-enum, subject-case, body
// rules...) keeps every rule it had. Found with a few stat calls at the repository's top (no
// cosmiconfig walk up to $HOME); @commitlint/load and @commitlint/lint are imported only when
// such a file exists, so the hooks of a repository without one pay nothing.
//
// Trust: JSON and YAML configs of plain rules are data. A commitlint.config.js, or a data
// config that names something to load (extends, parserPreset, plugins, formatter), is code: it
// runs only where the team's own commitlint is installed (and would run it anyway) or where the
// checkout's owner trusted it in local git config; never in the hub's pre-receive
// (docs/SECURITY.md).
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { CONFIG_LIMIT, readManagerConfig } from '../hook-managers/read-config.ts';
import { isAbsolute, join, relative } from 'node:path';

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
      const text = readManagerConfig(top, name);
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

/** A config that is a program (commitlint.config.js, .commitlintrc.ts...), not data. */
export function isCodeConfig(file: string): boolean {
  return /\.[cm]?[jt]s$/.test(file);
}

/** Keys through which even a JSON or YAML config makes commitlint `require()` something. */
const LOADING_KEYS = ['extends', 'parserPreset', 'plugins', 'formatter'];

/**
 * Whether a data config (JSON, YAML, package.json's key) still loads code: `extends`,
 * `parserPreset`, `plugins` or `formatter` are resolved with require(), so a committed
 * `./evil.cjs` named there runs like a commitlint.config.js would.
 */
export async function dataConfigLoadsCode(top: string, file: string): Promise<boolean> {
  try {
    const text = readManagerConfig(top, file);
    let parsed: Record<string, unknown> | null;
    try {
      parsed = JSON.parse(text) as Record<string, unknown> | null;
    } catch {
      // YAML only when it is not JSON: the parser stays out of the hook bundle (loaded here only).
      // With `<<:` merge keys resolved, as commitlint's loader (js-yaml) resolves them: an
      // `extends` merged in from an anchor loads code like one written out.
      parsed = (await import('yaml')).parse(text, { merge: true }) as Record<string, unknown> | null;
    }
    const config = file === 'package.json' || file === 'package.yaml' ? (parsed?.commitlint as Record<string, unknown> | undefined) : parsed;
    if (!config || typeof config !== 'object') return false;
    // Any merge key left unresolved (inside package.json's key, say) is judged as code too.
    return LOADING_KEYS.some((key) => config[key] !== undefined) || '<<' in config;
  } catch {
    return true; // unreadable as data: judged as code, so it runs only where trusted
  }
}

/**
 * Whether config that runs code may run here. A pushed commitlint.config.js (or a JSON config
 * that extends a committed ./x.cjs) is code from whoever can push: it runs only where the
 * team's own commitlint is really installed (node_modules/@commitlint/cli present and not
 * committed: a declaration in package.json is repository data too), or where this checkout's
 * owner said so (`git config agent-sessions.commitlintCode true`, local config, which no push
 * can set).
 */
export function codeConfigTrusted(top: string, localSetting: string | undefined): boolean {
  if (localSetting === 'true') return true;
  const cli = 'node_modules/@commitlint/cli/package.json';
  try {
    if (!lstatSync(join(top, cli)).isFile()) return false;
  } catch {
    return false;
  }
  // Neither node_modules nor the file it leads to may be committed: a committed link
  // `node_modules -> vendor` makes the path itself untracked ("beyond a symbolic link").
  let real: string;
  try {
    real = relative(realpathSync(top), realpathSync(join(top, cli)));
  } catch {
    return false;
  }
  const paths = ['node_modules', ...(real.startsWith('..') || isAbsolute(real) ? [] : [real])];
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const tracked = spawnSync('git', ['--literal-pathspecs', 'ls-files', '-z', '--', ...paths], { cwd: top, encoding: 'utf8' });
  return tracked.status === 0 && tracked.stdout === '';
}

function plainSmallFile(path: string): boolean {
  try {
    const stat = lstatSync(path);
    return stat.isFile() && stat.size <= CONFIG_LIMIT;
  } catch {
    return false;
  }
}

export type TeamLintLoad = { lint: TeamLint } | { skipped: string } | undefined;

/**
 * The team's lint function; `skipped` with the reason when its config is code this checkout
 * does not trust; undefined when the repository has no commitlint config.
 */
export async function loadTeamLintChecked(top: string, localSetting: () => string | undefined): Promise<TeamLintLoad> {
  const file = findTeamCommitlintConfig(top);
  if (!file) return undefined;
  // commitlint's loader reads the file whatever it is: a committed link to /dev/zero or a
  // FIFO would hang it or exhaust memory, trusted or not. Only a plain file is read.
  if (!plainSmallFile(join(top, file))) {
    return { skipped: `${file} is not a plain file under ${CONFIG_LIMIT} bytes (a link, a FIFO, a device or too large): its rules were not run (replace it with a plain file)` };
  }
  const code = isCodeConfig(file) || (await dataConfigLoadsCode(top, file));
  if (code && !codeConfigTrusted(top, localSetting())) {
    const what = isCodeConfig(file) ? `${file} is code` : `${file} loads code (extends, parserPreset, plugins or formatter)`;
    return { skipped: `${what}, and neither is @commitlint/cli installed here nor does this checkout trust it: its rules were not run (trust it: git config agent-sessions.commitlintCode true)` };
  }
  const lint = await loadTeamLint(top);
  return lint ? { lint } : undefined;
}

/** A value of the repository's local git config (never one a push could set). */
function localGitConfig(top: string, key: string): string | undefined {
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const result = spawnSync('git', ['config', '--local', '--get', key], { cwd: top, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() || undefined : undefined;
}

/**
 * loadTeamLintChecked with this checkout's own trust setting (`git config --local
 * agent-sessions.commitlintCode`): what commit-msg, pre-push and `check` call. Never the hub's
 * pre-receive: there a config is whatever was pushed, and no @commitlint is installed.
 */
export function loadTeamLintHere(top: string): Promise<TeamLintLoad> {
  return loadTeamLintChecked(top, () => localGitConfig(top, 'agent-sessions.commitlintCode'));
}

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
