// `agent-sessions doctor [--json]`: is this checkout ready for agents? Hooks in this checkout
// and in every linked worktree, husky, Node and git versions, config, identity, the hub, and
// the agent guard. Each problem comes with the command that fixes it; exit 1 when any.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ruleIds } from '../../rules/index.ts';
import type { Command } from '../cli/command.ts';
import { CONFIG_FILE, defaultConfig, loadConfig, type Config } from '../config.ts';
import { requireTopLevel, type CommonOptions } from '../context.ts';
import { describeError } from '../errors.ts';
import { gitSync } from '../git.ts';
import { agentGuardChecks } from '../agents-config/index.ts';
import { CLIENT_HOOKS, mainWorktreeOf, SHIM_MARKER } from '../hooks-install.ts';
import { detectHookManager } from '../hook-managers/detect.ts';
import { probeHooks } from '../hook-managers/probe.ts';
import { probeSkip } from '../hook-managers/probe-skip.ts';
import type { HookManagerName } from '../hook-managers/detect.ts';
import { detectMainBranch } from '../main-branch.ts';
import { readRepoText } from '../safe-fs.ts';

export interface DoctorOptions extends CommonOptions {
  /** ms before the hub probe gives up (default 5000). */
  hubTimeoutMs?: number;
}

export interface DoctorCheck {
  id: string;
  ok: boolean;
  message: string;
  fix?: string;
}

export interface DoctorResult {
  root: string;
  checks: DoctorCheck[];
  problems: number;
}

export const MIN_NODE = [20, 19] as const;
export const MIN_GIT = [2, 38] as const;

function atLeast(version: string, min: readonly number[]): boolean {
  const parts = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < min.length; i++) {
    if ((parts[i] ?? 0) !== min[i]) return (parts[i] ?? 0) > min[i]!;
  }
  return true;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function git(args: string[], cwd: string, timeoutMs?: number): string | undefined {
  try {
    return gitSync(args, { cwd, ...(timeoutMs ? { timeoutMs } : {}), env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }).trim();
  } catch {
    return undefined;
  }
}

/** The hooks of one work tree: core.hooksPath resolves to husky's dir with every hook runnable. */
function checkHooksOf(worktree: string, mainTop: string): DoctorCheck {
  const id = `hooks:${worktree}`;
  const fix = `run \`agent-sessions install-hooks\` in ${mainTop}`;
  const configured = git(['config', '--get', 'core.hooksPath'], worktree);
  if (!configured) return { id, ok: false, message: `${worktree}: core.hooksPath is not set, so git runs no agent-sessions hook`, fix };
  const dir = isAbsolute(configured) ? configured : resolve(worktree, configured);
  const missing = CLIENT_HOOKS.filter((hook) => !executable(join(dir, hook)));
  if (missing.length) return { id, ok: false, message: `${worktree}: core.hooksPath ${configured} lacks runnable ${missing.join(', ')}`, fix };
  return { id, ok: true, message: `${worktree}: hooks run from ${configured}` };
}

/** The shims in .husky/ carry our marker and find the package's hooks/run.sh. */
function checkShims(mainTop: string): DoctorCheck {
  const husky = join(mainTop, '.husky');
  const fix = `run \`agent-sessions install-hooks\` (or \`npm install\`) in ${mainTop}`;
  for (const hook of CLIENT_HOOKS) {
    const file = join(husky, hook);
    let text: string | undefined;
    try {
      text = readRepoText(mainTop, file); // committed: no link, FIFO or device, bounded
    } catch (err) {
      const info = describeError(err);
      return { id: 'shims', ok: false, message: info.message, ...(info.fix ? { fix: info.fix } : {}) };
    }
    if (text === undefined) return { id: 'shims', ok: false, message: `.husky/${hook} is missing`, fix };
    if (!text.includes(SHIM_MARKER)) return { id: 'shims', ok: false, message: `.husky/${hook} does not call agent-sessions`, fix };
    const run = /^as_run=(.+)$/m.exec(text)?.[1]?.trim();
    if (run) {
      const path = run.replace(/^"\$\(dirname "\$0"\)\/([^"]*)"/, `${husky}/$1`).replace(/^"([^"]*)"/, '$1');
      if (!existsSync(path)) return { id: 'shims', ok: false, message: `.husky/${hook} points at ${path}, which does not exist: the package is not reachable`, fix: `run \`npm install\` in ${mainTop}, then \`agent-sessions install-hooks\`` };
    }
  }
  if (!existsSync(join(husky, '_', 'h'))) return { id: 'husky', ok: false, message: 'husky is not set up (.husky/_/h is missing)', fix };
  return { id: 'shims', ok: true, message: '.husky/ shims present and the package reachable from them' };
}

/** Each of our hooks really runs in `worktree` (doctor runs it once with a probe). */
function checkReached(worktree: string, mainTop: string, manager: HookManagerName, hooksPath?: string): DoctorCheck {
  const id = `reached:${worktree}`;
  // The team's own hook entries are skipped where the manager allows it (lefthook, pre-commit).
  const skip = probeSkip(worktree, manager, hooksPath);
  const probe = probeHooks(worktree, skip.env);
  const also = skip.teamHooksRun ? ` (the probe ran each hook once, the team's own commands in it too: ${manager} keeps them in the same file or command line as ours, so they cannot be skipped alone)` : '';
  if (probe.unsupported) return { id, ok: true, message: `${worktree}: git has no \`git hook run\` (2.36+): hook reachability not proven` };
  if (probe.missing.length === 0) return { id, ok: true, message: `${worktree}: every agent-sessions hook is reached (${manager})${also}` };
  const hint =
    manager === 'husky' || manager === 'hooks-path'
      ? 'a hook file that exits before our line, or a core.hooksPath that points elsewhere'
      : `${manager} no longer runs our command (its config or its installed hooks changed)`;
  return {
    id,
    ok: false,
    message: `${worktree}: ${probe.missing.join(', ')} never reach agent-sessions (${hint}), so those checks are off`,
    fix: `run \`agent-sessions install-hooks\` in ${mainTop}`,
  };
}

/**
 * The hub lacks the configured branch. When the hub's default branch (or the local one) has
 * another name, the config is what is wrong (a `master` repository configured as "main"):
 * say so, instead of a push that would fail or create a second line of history.
 */
function missingMainBranch(root: string, url: string, remote: string, mainBranch: string, source: string | undefined): DoctorCheck {
  const detected = detectMainBranch(root, remote);
  const where = source && source !== 'defaults' ? source : CONFIG_FILE;
  if (detected.source !== 'default' && detected.name !== mainBranch) {
    return {
      id: 'hub',
      ok: false,
      message: `the hub ${url} has no ${mainBranch} branch; the ${detected.source === 'hub' ? "hub's default branch" : 'current branch'} is ${detected.name}`,
      fix: `set "git": { "mainBranch": "${detected.name}" } in ${where}`,
    };
  }
  const local = git(['rev-parse', '-q', '--verify', `refs/heads/${mainBranch}`], root);
  return {
    id: 'hub',
    ok: false,
    message: `the hub ${url} has no ${mainBranch} branch`,
    fix: local ? `push it once: git push ${remote} ${mainBranch}` : `set git.mainBranch in ${where} to the branch your team works on`,
  };
}

export async function doctor(options: DoctorOptions = {}): Promise<DoctorResult> {
  const cwd = options.cwd ?? process.cwd();
  const root = requireTopLevel(cwd);
  const checks: DoctorCheck[] = [];
  const add = (check: DoctorCheck | undefined) => check && checks.push(check);

  const node = process.versions.node;
  add(atLeast(node, MIN_NODE)
    ? { id: 'node', ok: true, message: `Node ${node}` }
    : { id: 'node', ok: false, message: `Node ${node} is older than ${MIN_NODE.join('.')}`, fix: `install Node ${MIN_NODE.join('.')} or newer (e.g. nvm install 20)` });
  const gitVersion = /(\d+\.\d+(?:\.\d+)?)/.exec(git(['--version'], root) ?? '')?.[1] ?? '0';
  add(atLeast(gitVersion, MIN_GIT)
    ? { id: 'git', ok: true, message: `git ${gitVersion}` }
    : { id: 'git', ok: false, message: `git ${gitVersion} is older than ${MIN_GIT.join('.')} (merge-tree --write-tree, worktree fixes)`, fix: `install git ${MIN_GIT.join('.')} or newer` });

  let config: Config | undefined;
  try {
    config = loadConfig(root, ruleIds);
    add({ id: 'config', ok: true, message: `config valid (${config.source})` });
  } catch (err) {
    const info = describeError(err);
    add({ id: 'config', ok: false, message: info.message, ...(info.fix ? { fix: info.fix } : {}) });
  }

  const name = process.env.AGENT_NAME || git(['config', 'user.name'], root);
  const email = process.env.AGENT_EMAIL || git(['config', 'user.email'], root);
  add(name && email
    ? { id: 'identity', ok: true, message: `identity ${name} <${email}>` }
    : { id: 'identity', ok: false, message: `no ${name ? 'email' : 'name'} to claim sessions with`, fix: `git config user.${name ? 'email' : 'name'} "<value>" (or set AGENT_${name ? 'EMAIL' : 'NAME'})` });

  const mainTop = mainWorktreeOf(root);
  const manager = detectHookManager(mainTop);
  if (manager.name === 'husky') add(checkShims(mainTop));
  else add({ id: 'hook-manager', ok: true, message: `hooks run through ${manager.name}${manager.config ? ` (${manager.config})` : ''}` });
  const worktrees = (git(['worktree', 'list', '--porcelain'], root) ?? '')
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length))
    .filter((dir) => existsSync(dir));
  for (const worktree of worktrees.length ? worktrees : [root]) {
    if (manager.name === 'husky') add(checkHooksOf(worktree, mainTop));
    add(checkReached(worktree, mainTop, manager.name, manager.hooksPath));
  }

  {
    // With a broken config, probe the hub the defaults name: one problem should not hide another.
    const { git: gitConfig } = config ?? defaultConfig();
    const remote = gitConfig.remote;
    const url = git(['remote', 'get-url', remote], root);
    if (!url) {
      add({ id: 'hub', ok: false, message: `no remote "${remote}": claims have no hub to push to`, fix: `git remote add ${remote} <hub url> (or set git.remote in the config)` });
    } else {
      const heads = git(['ls-remote', '--heads', remote, gitConfig.mainBranch], root, options.hubTimeoutMs ?? 5000);
      if (heads === undefined) add({ id: 'hub', ok: false, message: `the hub ${url} did not answer git ls-remote`, fix: `check the URL (\`git remote get-url ${remote}\`), the network and your credentials` });
      else if (!heads) add(missingMainBranch(root, url, remote, gitConfig.mainBranch, config?.source));
      else add({ id: 'hub', ok: true, message: `hub ${url} reachable` });
      const mode = gitConfig.hubMode;
      const where = mode === 'refs' ? `claims under refs/agent-sessions/claims/, completions as pull requests into ${gitConfig.mainBranch}` : `transitions pushed to ${gitConfig.mainBranch}`;
      add({ id: 'hub-mode', ok: true, message: `hub mode ${mode} (${where}; docs/hosting.md "Hub modes")` });
    }
  }
  for (const check of agentGuardChecks(mainTop)) add(check);
  return { root, checks, problems: checks.filter((c) => !c.ok).length };
}

export const command: Command<DoctorOptions, DoctorResult> = {
  run: doctor,
  exitCode: (r) => (r.problems ? 1 : 0),
  text: (r) => {
    const lines = r.checks.flatMap((c) => [`${c.ok ? 'ok     ' : 'PROBLEM'} ${c.message}`, ...(c.fix && !c.ok ? [`        fix: ${c.fix}`] : [])]);
    lines.push(r.problems ? `${r.problems} problem(s).` : 'All good.');
    return lines.join('\n');
  },
};
