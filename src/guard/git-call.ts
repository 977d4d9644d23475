// A `git ...` command resolved the way git itself reads it: global options (-C, -c,
// --config-env, ...), configuration given through the environment (GIT_CONFIG_COUNT/KEY_n/
// VALUE_n, GIT_CONFIG_PARAMETERS), aliases (from -c alias.x=..., or the repository's config),
// and long options abbreviated to any unambiguous prefix (`--al` is `--all`).
import type { ShellCommand } from './shell.ts';
import { resolveDirs } from './shell.ts';
import { literalWord, programName, UNKNOWN, type Word } from './words.ts';

export interface ConfigEntry {
  /** `section.name` lowercased (git's keys are case-insensitive there), subsection kept. */
  key: string;
  value: string;
  /** Where it came from, as typed: `-c core.hooksPath=x`, `GIT_CONFIG_KEY_0`, ... */
  origin: string;
}

export interface GitCall {
  sub: string;
  args: Word[];
  configs: ConfigEntry[];
  /** Directories git runs in (after -C). */
  dirs: string[];
  env: Map<string, string[]>;
  runtimeArgs: boolean;
  /** Set when git's configuration or program cannot be known from the command line. */
  unknown?: string;
  /** An alias that runs a shell command (`!...`): the script, with git's arguments. */
  shellAlias?: string;
}

const GLOBAL_VALUED = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--config-env', '--exec-path', '--super-prefix', '--attr-source', '--list-cmds']);

// git's own commands; any other name may be an alias.
const BUILTINS = new Set(
  'add am annotate apply archive bisect blame branch bundle cat-file check-attr check-ignore check-mailmap check-ref-format checkout checkout-index cherry cherry-pick clean clone column commit commit-graph commit-tree config count-objects credential describe diff diff-files diff-index diff-tree difftool fast-export fast-import fetch fetch-pack filter-branch fmt-merge-msg for-each-ref for-each-repo format-patch fsck gc get-tar-commit-id grep gui hash-object help hook index-pack init init-db instaweb interpret-trailers log ls-files ls-remote ls-tree mailinfo mailsplit maintenance merge merge-base merge-file merge-index merge-tree mergetool mktag mktree multi-pack-index mv name-rev notes pack-objects pack-refs patch-id prune pull push range-diff read-tree rebase receive-pack reflog remote repack replace request-pull rerere reset restore rev-list rev-parse revert rm send-email send-pack shortlog show show-branch show-index show-ref sparse-checkout stage stash status stripspace submodule switch symbolic-ref tag unpack-file unpack-objects update-index update-ref update-server-info upload-archive upload-pack var verify-commit verify-pack verify-tag version whatchanged worktree write-tree'.split(' '),
);

/** Splits a config line's words the way git splits an alias (quotes, backslashes; no expansion). */
export function splitAlias(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  let started = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < value.length) current += value[++i]!;
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (c === '\\' && i + 1 < value.length) {
      current += value[++i]!;
      started = true;
    } else if (/\s/.test(c)) {
      if (started || current) out.push(current);
      current = '';
      started = false;
    } else current += c;
  }
  if (started || current) out.push(current);
  return out;
}

/** `Core.HooksPath` -> `core.hookspath`: git ignores case in a key's section and name, not in its subsection. */
export function configKey(raw: string): string {
  const first = raw.indexOf('.');
  const last = raw.lastIndexOf('.');
  if (first === -1) return raw.toLowerCase();
  return `${raw.slice(0, first).toLowerCase()}${raw.slice(first, last)}${raw.slice(last).toLowerCase()}`;
}

function fromParameters(text: string): ConfigEntry[] {
  // GIT_CONFIG_PARAMETERS: 'key'='value' 'key2'='value2' (git's own quoting).
  const out: ConfigEntry[] = [];
  for (const m of text.matchAll(/'((?:[^']|'\\'')*)'(?:='((?:[^']|'\\'')*)')?/g)) {
    const key = m[1]!.replace(/'\\''/g, "'");
    const eq = m[2] === undefined ? key.indexOf('=') : -1;
    out.push({ key: configKey(eq > 0 ? key.slice(0, eq) : key), value: (m[2] ?? (eq > 0 ? key.slice(eq + 1) : '')).replace(/'\\''/g, "'"), origin: 'GIT_CONFIG_PARAMETERS' });
  }
  return out;
}

/** Configuration given to git through the environment. */
function envConfigs(env: Map<string, string[]>): { configs: ConfigEntry[]; unknown?: string } {
  const configs: ConfigEntry[] = [];
  let unknown: string | undefined;
  for (const value of env.get('GIT_CONFIG_PARAMETERS') ?? []) {
    if (value.includes(UNKNOWN)) unknown = 'GIT_CONFIG_PARAMETERS set at run time';
    configs.push(...fromParameters(value));
  }
  for (const [name, values] of env) {
    const m = /^GIT_CONFIG_KEY_(\d+)$/.exec(name);
    if (!m) continue;
    for (const key of values) {
      const value = env.get(`GIT_CONFIG_VALUE_${m[1]}`)?.[0] ?? '';
      if (key.includes(UNKNOWN)) unknown = `${name} set at run time`;
      configs.push({ key: configKey(key), value, origin: `${name}=${key}` });
    }
  }
  for (const name of ['GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM', 'GIT_CONFIG', 'GIT_EXEC_PATH']) {
    const v = env.get(name)?.[0];
    if (v !== undefined && v !== '/dev/null') unknown = `${name}=${v.replace(UNKNOWN, '$…')} makes git read configuration the guard cannot see`;
  }
  return { configs, ...(unknown ? { unknown } : {}) };
}

export interface AliasLookup {
  (name: string, dir: string): string | undefined;
}

/** The git call a shell command makes, or undefined when it does not run git. */
export function asGitCall(command: ShellCommand, lookupAlias?: AliasLookup): GitCall | undefined {
  const head = command.argv[0];
  if (programName(head) !== 'git') return undefined;
  const fromEnv = envConfigs(command.env);
  const configs: ConfigEntry[] = [...fromEnv.configs];
  let unknown = fromEnv.unknown;
  let dirs = command.cwd;
  let words = command.argv.slice(1);
  for (let round = 0; round < 10; round++) {
    let i = 0;
    while (i < words.length && words[i]!.text.startsWith('-')) {
      const word = words[i]!;
      const [flag, attached] = word.text.startsWith('--') && word.text.includes('=') ? [word.text.slice(0, word.text.indexOf('=')), word.text.slice(word.text.indexOf('=') + 1)] : [word.text, undefined];
      const value = attached !== undefined ? { ...word, text: attached } : words[i + 1];
      if (flag === '-c' && value) {
        const eq = value.text.indexOf('=');
        if (value.dynamic) unknown = `\`git -c ${value.text.replace(UNKNOWN, '$…')}\` is known only at run time`;
        configs.push({ key: configKey(eq === -1 ? value.text : value.text.slice(0, eq)), value: eq === -1 ? 'true' : value.text.slice(eq + 1), origin: `-c ${value.text}` });
      } else if (flag === '--config-env' && value) {
        const eq = value.text.indexOf('=');
        configs.push({ key: configKey(value.text.slice(0, eq === -1 ? undefined : eq)), value: UNKNOWN, origin: `--config-env=${value.text}` });
      } else if (flag === '-C' && value) dirs = resolveDirs(value, dirs);
      else if (flag.startsWith('--exec-path') && attached !== undefined) unknown = '`git --exec-path=...` runs git programs from another directory';
      if (GLOBAL_VALUED.has(flag) && attached === undefined && !(flag === '--exec-path')) i += 2;
      else i += 1;
    }
    const subWord = words[i];
    if (!subWord) return undefined;
    if (subWord.dynamic) {
      return { sub: UNKNOWN, args: words.slice(i + 1), configs, dirs, env: command.env, runtimeArgs: command.runtimeArgs, unknown: 'the git command is known only at run time' };
    }
    const sub = subWord.text;
    const rest = words.slice(i + 1);
    if (BUILTINS.has(sub)) return { sub, args: rest, configs, dirs, env: command.env, runtimeArgs: command.runtimeArgs, ...(unknown ? { unknown } : {}) };
    const aliasKey = `alias.${sub.toLowerCase()}`;
    const fromCommandLine = [...configs].reverse().find((c) => c.key === aliasKey);
    const alias = fromCommandLine ? fromCommandLine.value : dirs.length === 1 && dirs[0] !== UNKNOWN ? lookupAlias?.(sub, dirs[0]!) : undefined;
    if (alias === undefined) return { sub, args: rest, configs, dirs, env: command.env, runtimeArgs: command.runtimeArgs, ...(unknown ? { unknown } : {}) };
    if (alias.includes(UNKNOWN)) unknown = `the alias ${sub} is known only at run time`;
    if (alias.startsWith('!')) {
      const quoted = rest.map((w) => (w.dynamic ? '"$__unknown__"' : `'${w.text.replace(/'/g, `'\\''`)}'`));
      return { sub, args: rest, configs, dirs, env: command.env, runtimeArgs: command.runtimeArgs, shellAlias: [alias.slice(1), ...quoted].join(' '), ...(unknown ? { unknown } : {}) };
    }
    words = [...splitAlias(alias).map(literalWord), ...rest];
  }
  return { sub: UNKNOWN, args: [], configs, dirs, env: command.env, runtimeArgs: command.runtimeArgs, unknown: 'aliases nested too deep' };
}

/** One subcommand's options, as `git <sub> --git-completion-helper-all` lists them. */
export interface OptionTable {
  long: string[];
  /** Long options that take a value in the next word when none is attached. */
  valuedLong: Set<string>;
  /** Short options that take a value (attached, or the next word). */
  valuedShort: Set<string>;
  /** Short options whose value, if any, is the rest of the cluster (`-uno`, `-Skey`). */
  optionalShort: Set<string>;
}

function table(spec: string, valuedShort: string, extraValued: string[] = [], optionalShort = ''): OptionTable {
  const names = spec.split(' ').filter((s) => s.startsWith('--') && s !== '--');
  return {
    long: names.map((n) => n.replace(/=$/, '')),
    valuedLong: new Set([...names.filter((n) => n.endsWith('=')).map((n) => n.slice(0, -1)), ...extraValued]),
    valuedShort: new Set(valuedShort),
    optionalShort: new Set(optionalShort),
  };
}

// From git 2.39's --git-completion-helper-all (negated forms included).
export const OPTIONS: Record<string, OptionTable> = {
  add: table('--dry-run --verbose --interactive --patch --edit --force --update --renormalize --intent-to-add --all --ignore-removal --refresh --ignore-errors --ignore-missing --sparse --chmod= --warn-embedded-repo --pathspec-from-file= --pathspec-file-nul --no-dry-run --no-verbose --no-interactive --no-patch --no-edit --no-force --no-update --no-renormalize --no-intent-to-add --no-all --no-ignore-removal --no-refresh --no-ignore-errors --no-ignore-missing --no-sparse --no-chmod --no-warn-embedded-repo --no-pathspec-from-file --no-pathspec-file-nul', ''),
  commit: table('--quiet --verbose --file= --author= --date= --message= --reedit-message= --reuse-message= --fixup= --squash= --reset-author --trailer= --signoff --template= --edit --cleanup= --status --gpg-sign --all --include --interactive --patch --only --no-verify --dry-run --short --branch --ahead-behind --porcelain --long --null --amend --no-post-rewrite --untracked-files --pathspec-from-file= --pathspec-file-nul --allow-empty --allow-empty-message --verify --post-rewrite --no-quiet --no-verbose --no-file --no-author --no-date --no-message --no-reedit-message --no-reuse-message --no-fixup --no-squash --no-reset-author --no-signoff --no-template --no-edit --no-cleanup --no-status --no-gpg-sign --no-all --no-include --no-interactive --no-patch --no-only --no-dry-run --no-short --no-branch --no-ahead-behind --no-porcelain --no-long --no-null --no-amend --no-untracked-files --no-pathspec-from-file --no-pathspec-file-nul --no-allow-empty --no-allow-empty-message', 'mFCct', [], 'uS'),
  push: table('--verbose --quiet --repo= --all --mirror --delete --tags --dry-run --porcelain --force --force-with-lease --force-if-includes --recurse-submodules= --thin --receive-pack= --exec= --set-upstream --progress --prune --no-verify --follow-tags --signed --atomic --push-option= --ipv4 --ipv6 --verify --no-verbose --no-quiet --no-repo --no-all --no-mirror --no-delete --no-tags --no-dry-run --no-porcelain --no-force --no-force-with-lease --no-force-if-includes --no-recurse-submodules --no-thin --no-receive-pack --no-exec --no-set-upstream --no-progress --no-prune --no-follow-tags --no-signed --no-atomic --no-push-option --no-ipv4 --no-ipv6', 'o'),
  merge: table('--stat --summary --log --squash --commit --edit --cleanup= --ff --ff-only --rerere-autoupdate --verify-signatures --strategy= --strategy-option= --message= --file --into-name= --verbose --quiet --abort --quit --continue --allow-unrelated-histories --progress --gpg-sign --autostash --overwrite-ignore --signoff --no-verify --verify --no-stat --no-summary --no-log --no-squash --no-commit --no-edit --no-cleanup --no-ff --no-rerere-autoupdate --no-verify-signatures --no-strategy --no-strategy-option --no-message --no-into-name --no-verbose --no-quiet --no-abort --no-quit --no-continue --no-allow-unrelated-histories --no-progress --no-gpg-sign --no-autostash --no-overwrite-ignore --no-signoff', 'mFsX', ['--file'], 'S'),
  pull: table('--verbose --quiet --progress --recurse-submodules --rebase --stat --summary --log --signoff --squash --commit --edit --cleanup= --ff --ff-only --verify --verify-signatures --autostash --strategy= --strategy-option= --gpg-sign --allow-unrelated-histories --all --append --upload-pack= --force --tags --prune --jobs --dry-run --keep --depth= --shallow-since= --shallow-exclude= --deepen= --unshallow --update-shallow --refmap= --server-option= --ipv4 --ipv6 --negotiation-tip= --show-forced-updates --set-upstream --no-verbose --no-quiet --no-progress --no-recurse-submodules --no-rebase --no-stat --no-summary --no-log --no-signoff --no-squash --no-commit --no-edit --no-cleanup --no-ff --no-verify --no-verify-signatures --no-autostash --no-strategy --no-strategy-option --no-gpg-sign --no-allow-unrelated-histories --no-all --no-append --no-upload-pack --no-force --no-tags --no-prune --no-jobs --no-dry-run --no-keep --no-depth --no-shallow-since --no-shallow-exclude --no-deepen --no-update-shallow --no-server-option --no-ipv4 --no-ipv6 --no-negotiation-tip --no-show-forced-updates --no-set-upstream', 'sXo'),
  'send-pack': table('--verbose --quiet --receive-pack= --exec= --remote= --all --dry-run --mirror --force --signed --push-option= --progress --thin --atomic --stateless-rpc --stdin --helper-status --force-with-lease --force-if-includes --no-verbose --no-quiet --no-receive-pack --no-exec --no-remote --no-all --no-dry-run --no-mirror --no-force --no-signed --no-push-option --no-progress --no-thin --no-atomic --no-stateless-rpc --no-stdin --no-helper-status --no-force-with-lease --no-force-if-includes', ''),
};

/** The full name of a long option as git's parse-options reads it (unique prefix), or undefined if ambiguous/unknown. */
export function longOption(word: string, options: OptionTable): string | undefined {
  const name = word.includes('=') ? word.slice(0, word.indexOf('=')) : word;
  if (options.long.includes(name)) return name;
  const hits = options.long.filter((o) => o.startsWith(name));
  return hits.length === 1 ? hits[0] : undefined;
}

export interface ParsedArgs {
  /** Options by full name (`--all`, or `-A` for a short one), with their values. */
  options: Array<{ name: string; value?: Word; word: Word }>;
  /** Non-option arguments (pathspecs, remote, refspecs). */
  operands: Word[];
  /** A word in option position whose value is known only at run time. */
  unknownWord?: Word;
}

/** Reads a subcommand's arguments with its option table. */
export function parseArgs(args: Word[], options: OptionTable): ParsedArgs {
  const out: ParsedArgs = { options: [], operands: [] };
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const text = word.text;
    if (text === '--') {
      out.operands.push(...args.slice(i + 1));
      break;
    }
    if (word.dynamic && (text.startsWith(UNKNOWN) || text.startsWith('-'))) {
      out.unknownWord ??= word;
      out.operands.push(word);
      continue;
    }
    if (text.startsWith('--') && text.length > 2) {
      const name = longOption(text, options) ?? text.split('=')[0]!;
      const attached = text.includes('=') ? { ...word, text: text.slice(text.indexOf('=') + 1) } : undefined;
      const value = attached ?? (options.valuedLong.has(name) ? args[++i] : undefined);
      out.options.push({ name, word, ...(value ? { value } : {}) });
      continue;
    }
    if (text.startsWith('-') && text.length > 1) {
      for (let f = 1; f < text.length; f++) {
        const flag = text[f]!;
        if (options.optionalShort.has(flag)) {
          const rest = text.slice(f + 1);
          out.options.push({ name: `-${flag}`, word, ...(rest ? { value: { ...word, text: rest } } : {}) });
          break;
        }
        if (options.valuedShort.has(flag)) {
          const rest = text.slice(f + 1);
          const value = rest ? { ...word, text: rest } : args[++i];
          out.options.push({ name: `-${flag}`, word, ...(value ? { value } : {}) });
          break;
        }
        out.options.push({ name: `-${flag}`, word });
      }
      continue;
    }
    out.operands.push(word);
  }
  return out;
}
