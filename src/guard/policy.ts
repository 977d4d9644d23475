// What the guard blocks, judged on what the shell and git will really run (shell.ts,
// git-call.ts), never on the raw string. The one entry point for every agent adapter:
// judgeCommand / judgeFileWrite (or the older checkShellLine / checkFileWrite).
// Anything the guard cannot see is blocked with its reason (fail closed).
import { show, unreadable, type Finding, type PolicyFacts } from './facts.ts';
import { asGitCall, configKey, OPTIONS, parseArgs, type GitCall } from './git-call.ts';
import { sweepingPathspecs, workTreeOf } from './paths.ts';
import { analyzeShell, type ShellCommand } from './shell.ts';
import { programName, UNKNOWN } from './words.ts';
import { checkFileWrite, checkWrites } from './writes.ts';

export type { Finding, PolicyFacts } from './facts.ts';
export { checkFileWrite, mayReachSessionFile } from './writes.ts';
export { shortFlags } from './shell.ts';

/** What adapters act on. */
export interface Judgement {
  verdict: 'allow' | 'block';
  /** Empty when allowed. */
  reason: string;
  fix: string;
  findings: Finding[];
}
export type GuardContext = PolicyFacts;

const HOOK_ENV: Record<string, string> = { AGENT_SESSIONS: '0', HUSKY: '0' };
// Set to anything, these make hooks/run.sh skip a hook (doctor's probe; a push or a worktree
// the package judged or readied itself): for an agent's command they are hooks switched off.
const HOOK_SKIP_ANY = ['AGENT_SESSIONS_PROBE', 'AGENT_SESSIONS_PUSH_JUDGED', 'AGENT_SESSIONS_CHECKOUT_DONE'];
// Subcommands that run the protocol's client hooks (pre-commit, commit-msg, pre-push, post-checkout).
const RUNS_HOOKS = new Set(['commit', 'merge', 'pull', 'push', 'am', 'rebase', 'cherry-pick', 'revert', 'checkout', 'switch', 'worktree', 'clone', UNKNOWN]);

const FIX_ADD = 'stage the files you changed by name: git add <path> [<path>...] (see `git status --short`)';
const FIX_HOOKS = 'run git with the hooks in place; if a hook refuses, read its message and fix what it names (CI and the hub check skipped commits anyway)';

/** Configuration or environment that switches the client hooks off. */
function hooksOff(call: GitCall): string | undefined {
  const hit = call.configs.find((c) => c.key === 'core.hookspath' || /^include(if\..*)?\.path$/.test(c.key));
  // Shown to the agent: a run-time value reads `$…`, never as the NUL that marks it.
  if (hit) return show(hit.origin);
  for (const [name, off] of Object.entries(HOOK_ENV)) if (call.env.get(name)?.some((v) => v === off || v.includes(UNKNOWN))) return show(`${name}=${call.env.get(name)![0]}`);
  for (const name of HOOK_SKIP_ANY) if (call.env.get(name)?.some((v) => v !== '')) return show(`${name}=${call.env.get(name)![0]}`);
  return undefined;
}

function checkAdd(call: GitCall, facts: PolicyFacts): Finding | undefined {
  const parsed = parseArgs(call.args, OPTIONS.add!);
  const all = parsed.options.find((o) => o.name === '--all' || o.name === '-A' || o.name === '--no-ignore-removal');
  const dry = parsed.options.some((o) => o.name === '--dry-run' || o.name === '-n');
  if (dry) return undefined;
  const fromFile = parsed.options.find((o) => o.name === '--pathspec-from-file');
  if (fromFile) return unreadable(`\`git ${call.sub} ${show(fromFile.word.text)}\` reads its pathspecs from a file`);
  if (call.runtimeArgs) return unreadable(`\`git ${call.sub}\` gets its pathspecs at run time (xargs, find -exec)`);
  if (parsed.unknownWord) return unreadable(`\`git ${call.sub} ${show(parsed.unknownWord.text)}\` has an argument known only at run time`);
  const top = (dir: string) => (facts.topLevel ? facts.topLevel(dir) : workTreeOf(dir));
  const verdict = parsed.operands.length ? sweepingPathspecs(parsed.operands, call.dirs, top) : all ? { sweeping: all.word.text } : {};
  if (verdict.unknown) return unreadable(`\`git ${call.sub}\`: ${verdict.unknown}`);
  if (!verdict.sweeping) return undefined;
  return {
    id: 'git-add-all',
    reason: `\`git ${call.sub} ${show(verdict.sweeping)}\` stages everything in the tree, including other sessions' files and stray untracked files`,
    fix: FIX_ADD,
  };
}

function checkCommitLike(call: GitCall): Finding | undefined {
  const table = OPTIONS[call.sub];
  const skip = hooksOff(call);
  let noVerify: string | undefined = skip;
  if (table) {
    const parsed = parseArgs(call.args, table);
    if (call.sub === 'commit' && parsed.options.some((o) => o.name === '--dry-run')) return undefined;
    for (const o of parsed.options) {
      if (o.name === '--no-verify' || (call.sub === 'commit' && o.name === '-n')) noVerify ??= o.word.text;
      else if (o.name === '--verify' && !skip) noVerify = undefined;
    }
    if (!noVerify && (parsed.unknownWord || call.runtimeArgs) && call.sub === 'commit') {
      return unreadable(`\`git commit\` with ${parsed.unknownWord ? `\`${show(parsed.unknownWord.text)}\`` : 'arguments appended'} at run time (it could be --no-verify)`);
    }
  }
  if (!noVerify) return undefined;
  const push = call.sub === 'push' || call.sub === 'send-pack';
  return {
    id: push ? 'push-no-verify' : 'commit-no-verify',
    reason: push
      ? `\`${noVerify}\` skips the pre-push check of the protocol`
      : `${noVerify === skip ? `\`${noVerify}\` makes \`git ${call.sub}\`` : `\`git ${call.sub} ${noVerify}\``} skip the protocol's commit hooks (message format, read-only SESSION.md, staged scope)`,
    fix: FIX_HOOKS,
  };
}

function refTargetsMain(dst: string, call: GitCall, facts: PolicyFacts): boolean {
  const main = facts.mainBranch;
  if (dst.includes(UNKNOWN) || dst.includes('*')) {
    // `session/$SLUG` cannot be main; `$BRANCH`, `refs/heads/*` can.
    const pattern = new RegExp(`^${dst.split(/[*\u0000]/).map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return [main, `heads/${main}`, `refs/heads/${main}`].some((n) => pattern.test(n));
  }
  const name = dst === 'HEAD' || dst === '@' || dst === '' ? call.dirs.map((d) => facts.currentBranch(d === UNKNOWN ? undefined : d)) : [dst];
  return name.some((n) => n === undefined || n === main || n === `heads/${main}` || n === `refs/heads/${main}`);
}

function checkPush(call: GitCall, facts: PolicyFacts): Finding | undefined {
  const table = OPTIONS[call.sub]!;
  const parsed = parseArgs(call.args, table);
  if (parsed.options.some((o) => o.name === '--dry-run' || (call.sub === 'push' && o.name === '-n'))) return undefined;
  const skip = checkCommitLike(call);
  if (skip) return skip;
  const opt = (...names: string[]) => parsed.options.find((o) => names.includes(o.name));
  const force = opt('--force', '-f', '--force-with-lease', '--force-if-includes');
  const mirror = opt('--mirror');
  const del = opt('--delete', '-d');
  const all = opt('--all');
  const configRefspec = call.configs.find((c) => /^remote\..*\.(push|mirror)$/.test(c.key) || c.key === 'push.default');
  if (call.runtimeArgs || parsed.unknownWord) return unreadable(`\`git ${call.sub}\` with ${parsed.unknownWord ? `\`${show(parsed.unknownWord.text)}\`` : 'arguments'} known only at run time`);
  // After the remote (push) or the remote repository (send-pack).
  const refspecs = parsed.operands.slice(1);
  const dynamicSpec = refspecs.find((r) => r.text.startsWith(UNKNOWN));
  if (dynamicSpec) return unreadable(`the refspec ${JSON.stringify(show(dynamicSpec.text))} is known only at run time (it could force or delete ${facts.mainBranch})`);
  const main = facts.mainBranch;
  const bad = (what: string, how: string): Finding => ({
    id: 'force-push-main',
    reason: `\`git ${call.sub} ${show(what)}\` would ${how} ${main} on the hub, where every claim and completion lives`,
    fix: `never force or delete ${main}: fetch, rebase or merge onto origin/${main}, then push normally (claim/complete/abandon retry for you)`,
  });
  if (mirror) return bad(mirror.word.text, 'rewrite or delete');
  if (configRefspec && (force || /\+|true|matching/.test(configRefspec.value))) return bad(configRefspec.origin, 'rewrite');
  for (const spec of refspecs) {
    const text = spec.text;
    const colon = text.lastIndexOf(':');
    const dst = colon === -1 ? text.replace(/^\+/, '') : text.slice(colon + 1);
    const src = colon === -1 ? dst : text.slice(0, colon).replace(/^\+/, '');
    if ((del || (colon !== -1 && src === '')) && refTargetsMain(dst, call, facts)) return bad(`${del ? `${del.word.text} ` : ''}${text}`, 'delete');
    if ((text.startsWith('+') || force) && refTargetsMain(dst, call, facts)) return bad(text.startsWith('+') ? text : `${force!.word.text} ${text}`, 'rewrite');
  }
  if (force && (all || (refspecs.length === 0 && call.dirs.some((d) => facts.currentBranch(d === UNKNOWN ? undefined : d) === main)))) {
    return bad(`${force.word.text}${all ? ` ${all.word.text}` : ''}`, 'rewrite');
  }
  if (call.sub === 'send-pack') {
    return { id: 'push-no-verify', reason: '`git send-pack` pushes without running the pre-push check of the protocol', fix: 'push with `git push` (pre-push runs); if it refuses, fix what it names' };
  }
  return undefined;
}

const CONFIG_WRITES = /^(--(unset|unset-all|add|replace-all|edit|rename-section|remove-section)|set|unset|-e)$/;

/** `git config core.hooksPath x`, or an alias that would do what the guard blocks. */
function checkConfig(call: GitCall, facts: PolicyFacts): Finding | undefined {
  const words = call.args.filter((w) => !w.text.startsWith('-') && w.text !== 'set' && w.text !== 'unset');
  const writes = call.args.some((w) => CONFIG_WRITES.test(w.text)) || words.length > 1;
  const key = words[0];
  if (!key || !writes) return undefined;
  const name = configKey(key.text);
  if (key.dynamic || name === 'core.hookspath' || /^include(if\..*)?\.path$/.test(name)) {
    return { id: 'commit-no-verify', reason: `\`git config ${show(key.text)}\` changes which hooks git runs: the protocol's hooks could stop running`, fix: FIX_HOOKS };
  }
  const value = words[1];
  if (name.startsWith('alias.') && value) {
    if (value.dynamic) return unreadable(`\`git config ${key.text}\` defines an alias known only at run time`);
    const line = value.text.startsWith('!') ? value.text.slice(1) : `git ${value.text}`;
    const inner = checkShellLine(line, { ...facts, cwd: call.dirs[0] && call.dirs[0] !== UNKNOWN ? call.dirs[0] : facts.cwd ?? process.cwd() });
    if (inner.length) return { ...inner[0]!, reason: `\`git config ${key.text}\` defines an alias that runs what the guard blocks: ${inner[0]!.reason}` };
  }
  return undefined;
}

function checkGit(call: GitCall, facts: PolicyFacts): Finding | undefined {
  if (call.unknown && RUNS_HOOKS.has(call.sub)) return unreadable(call.unknown);
  if (call.unknown && ['add', 'stage', 'config', 'send-pack'].includes(call.sub)) return unreadable(call.unknown);
  if (call.sub === 'add' || call.sub === 'stage') return checkAdd(call, facts);
  if (call.sub === 'push' || call.sub === 'send-pack') return checkPush(call, facts);
  if (call.sub === 'config') return checkConfig(call, facts);
  if (RUNS_HOOKS.has(call.sub)) return checkCommitLike(call);
  return undefined;
}

/** `export AGENT_SESSIONS=0`, `export GIT_CONFIG_KEY_0=core.hooksPath`: hooks off for the rest of the session. */
function checkExport(command: ShellCommand): Finding | undefined {
  const head = command.argv[0]?.text;
  if (head !== 'export' && head !== 'declare' && head !== 'typeset' && head !== 'readonly' && head !== 'local') return undefined;
  for (const word of command.argv.slice(1)) {
    const eq = word.text.indexOf('=');
    if (eq <= 0) continue;
    const name = word.text.slice(0, eq);
    const value = word.text.slice(eq + 1);
    const off =
      (Object.hasOwn(HOOK_ENV, name) && (value === HOOK_ENV[name] || value.includes(UNKNOWN))) ||
      (HOOK_SKIP_ANY.includes(name) && value !== '') ||
      (/^GIT_CONFIG_(KEY_\d+|PARAMETERS)$/.test(name) && (/hookspath/i.test(value) || value.includes(UNKNOWN))) ||
      /^GIT_CONFIG_(GLOBAL|SYSTEM)$|^GIT_CONFIG$/.test(name);
    if (off) return { id: 'commit-no-verify', reason: `\`${head} ${show(word.text)}\` switches the protocol's git hooks off for every later command`, fix: FIX_HOOKS };
  }
  return undefined;
}

// `!` aliases that run git with other `!` aliases, as deep as git-call.ts follows plain ones. A
// repository alias that calls itself (`alias.x = !git x`) recursed until the stack overflowed,
// one git process per level: a minute and more, past the agents' hook timeouts.
const SHELL_ALIAS_DEPTH = 10;

/** Findings for one shell command line (the agent's shell tool's `command`). */
export function checkShellLine(line: string, facts: PolicyFacts): Finding[] {
  return checkLine(line, facts, 0);
}

function checkLine(line: string, facts: PolicyFacts, aliasDepth: number): Finding[] {
  const cwd = facts.cwd ?? process.cwd();
  let analysis: ReturnType<typeof analyzeShell>;
  try {
    analysis = analyzeShell(line, cwd);
  } catch (err) {
    // A guard that crashed would let the call through (agents treat most exit codes as "go").
    return [unreadable(`the command line could not be analysed (${(err as Error).message})`)];
  }
  const { commands, problems } = analysis;
  const findings: Finding[] = problems.map(unreadable);
  const seen = new Set(findings.map((f) => f.reason));
  const add = (f: Finding | undefined) => {
    if (f && !seen.has(f.reason)) {
      seen.add(f.reason);
      findings.push(f);
    }
  };
  for (const command of commands) {
    add(checkWrites(command, facts));
    add(checkExport(command));
    const head = command.argv[0];
    if (head && !programName(head)) {
      add(unreadable(`\`${show(command.text.slice(0, 80))}\` runs a program named only at run time`));
      continue;
    }
    const call = asGitCall(command, facts.gitAlias);
    if (!call) continue;
    if (call.shellAlias !== undefined) {
      if (aliasDepth >= SHELL_ALIAS_DEPTH) {
        add(unreadable(`\`git ${show(call.sub)}\` runs git aliases nested more than ${SHELL_ALIAS_DEPTH} deep (one that calls itself?)`));
        continue;
      }
      for (const f of checkLine(call.shellAlias, { ...facts, cwd: call.dirs[0] === UNKNOWN || !call.dirs[0] ? cwd : call.dirs[0] }, aliasDepth + 1)) add(f);
      continue;
    }
    add(checkGit(call, facts));
  }
  return findings;
}

function judgement(findings: Finding[]): Judgement {
  if (!findings.length) return { verdict: 'allow', reason: '', fix: '', findings };
  return { verdict: 'block', reason: findings.map((f) => f.reason).join('; '), fix: findings.map((f) => f.fix).join('; '), findings };
}

/** The guard's verdict on a shell command line. */
export function judgeCommand(command: string, context: GuardContext): Judgement {
  return judgement(checkShellLine(command, context));
}

/** The guard's verdict on a file write (path absolute, or relative to context.cwd). */
export function judgeFileWrite(path: string, context: GuardContext): Judgement {
  const finding = checkFileWrite(path, context);
  return judgement(finding ? [finding] : []);
}
