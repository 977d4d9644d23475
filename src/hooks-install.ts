// Installs the client hooks through husky, and makes them reach linked worktrees.
// husky writes `.husky/_/` (git-ignored) and sets core.hooksPath to the relative `.husky/_`;
// a linked worktree has no `.husky/_` of its own, so git would silently run no hook there.
// We therefore point core.hooksPath at the main worktree's `.husky/_` by absolute path,
// which every worktree of the repository shares. The shims in `.husky/<hook>` find the
// package by a path relative to `.husky/`, so a worktree without node_modules still works.
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { RefusedError, UsageError } from './errors.ts';
import { commonDirOf, gitDirOf, gitSync } from './git.ts';
import { packageRoot } from './package-root.ts';

export const CLIENT_HOOKS = ['commit-msg', 'pre-commit', 'prepare-commit-msg', 'pre-push', 'post-checkout'] as const;
export const SHIM_MARKER = '# agent-sessions:';

export interface HookInstallResult {
  created: string[];
  updated: string[];
  hooksPath: string;
  packagePath: string;
  huskyMessage?: string;
}

/** The main worktree's top level, seen from any worktree of the repository. */
export function mainWorktreeOf(top: string): string {
  const common = commonDirOf(gitDirOf(top, {}));
  return dirname(common);
}

/** Where the shims look for the package, relative to `.husky/` when it is inside the repo. */
export function packagePathForShims(mainTop: string, cwd: string): string {
  const candidates: string[] = [];
  let dir = realpathSync(cwd);
  const top = realpathSync(mainTop);
  while (dir.startsWith(top)) {
    candidates.push(join(dir, 'node_modules', 'agent-sessions'));
    if (dir === top) break;
    dir = dirname(dir);
  }
  for (const candidate of candidates) {
    if (existsSync(join(candidate, 'hooks', 'run.sh'))) return relative(join(top, '.husky'), candidate).split('\\').join('/');
  }
  return packageRoot();
}

/** The package's bin, repo-relative: under the nearest package.json from `cwd` up to `root`. */
export function packageBinFor(root: string, cwd: string): string {
  let dir = cwd;
  while (dir.startsWith(root)) {
    if (existsSync(join(dir, 'package.json'))) return relative(root, join(dir, 'node_modules', '.bin', 'agent-sessions')).split('\\').join('/');
    if (dir === root) break;
    dir = dirname(dir);
  }
  return 'node_modules/.bin/agent-sessions';
}

export function shimText(hook: string, packagePath: string): string {
  const base = packagePath.startsWith('/') ? `"${packagePath}"` : `"$(dirname "$0")/${packagePath}"`;
  return [
    `${SHIM_MARKER} runs the ${hook} checks; AGENT_SESSIONS=0 skips them`,
    `as_run=${base}/hooks/run.sh`,
    `if [ -f "$as_run" ]; then sh "$as_run" ${hook} "$@"; else echo "agent-sessions: not installed ($as_run missing); ${hook} checks skipped. Run npm install." >&2; fi`,
    '',
  ].join('\n');
}


/** A core.hooksPath that is husky's (`.husky/_`, any checkout's, or husky 8's `.husky`) is ours to set. */
function isHuskyPath(value: string): boolean {
  return /(^|\/)\.husky(\/_)?\/?$/.test(value);
}

/**
 * Refuses (exit 1, before anything is written) when core.hooksPath already points at another
 * hook folder, e.g. a team's `.githooks`: pointing it at husky's folder would silently stop
 * git from running those hooks. The fix moves them into `.husky/`, where they keep running
 * (husky runs `.husky/<hook>`, and install-hooks adds its checks to hooks it finds there).
 */
export function refuseForeignHooksPath(top: string): void {
  const mainTop = mainWorktreeOf(top);
  const out = gitSync(['config', '--show-scope', '--get', 'core.hooksPath'], { cwd: mainTop, env: { ...process.env, GIT_DIR: undefined }, okCodes: [1] });
  const tab = out.indexOf('\t');
  const scope = tab === -1 ? 'local' : out.slice(0, tab);
  const value = (tab === -1 ? out : out.slice(tab + 1)).trim();
  if (value === '' || isHuskyPath(value) || scope === 'command') return;
  const unset = `git config ${scope === 'local' ? '' : `--${scope} `}--unset core.hooksPath`;
  throw new RefusedError(
    'hooks-path-taken',
    `core.hooksPath is already set to ${JSON.stringify(value)} (${scope} config); installing the agent-sessions hooks would replace it and git would stop running the hooks there`,
    {
      fix: `move those hooks into .husky/ (husky runs .husky/<hook>, and agent-sessions adds its checks to them), then run \`${unset}\` and this command again; or keep your hook manager, run \`agent-sessions init --no-hooks\`, and call \`agent-sessions hook <name> "$@"\` from each of your hooks`,
      data: { hooksPath: value, scope },
    },
  );
}

export async function installHooks(top: string, cwd: string = top): Promise<HookInstallResult> {
  const mainTop = mainWorktreeOf(top);
  const created: string[] = [];
  const updated: string[] = [];
  const huskyDir = join(mainTop, '.husky');
  if (process.env.HUSKY !== '0') refuseForeignHooksPath(top);
  const before = process.cwd();
  let huskyMessage = '';
  const { default: husky } = (await import('husky')) as { default: (dir?: string) => string };
  try {
    process.chdir(mainTop);
    huskyMessage = husky('.husky');
  } finally {
    process.chdir(before);
  }
  if (huskyMessage) {
    if (huskyMessage.includes('HUSKY=0')) return { created, updated, hooksPath: '', packagePath: '', huskyMessage };
    throw new UsageError('husky-failed', `husky could not install the hooks: ${huskyMessage.trim()}`, {
      fix: 'run init at the top of a git work tree with git on PATH',
    });
  }
  const hooksPath = join(huskyDir, '_');
  const currentPath = (() => {
    try {
      return gitSync(['config', '--get', 'core.hooksPath'], { cwd: mainTop, env: { ...process.env, GIT_DIR: undefined } }).trim();
    } catch {
      return '';
    }
  })();
  if (currentPath !== hooksPath) gitSync(['config', 'core.hooksPath', hooksPath], { cwd: mainTop });

  const packagePath = packagePathForShims(mainTop, cwd);
  mkdirSync(huskyDir, { recursive: true });
  for (const hook of CLIENT_HOOKS) {
    const file = join(huskyDir, hook);
    const shim = shimText(hook, packagePath);
    if (!existsSync(file)) {
      writeFileSync(file, shim, { mode: 0o755 });
      created.push(`.husky/${hook}`);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    if (text.includes(SHIM_MARKER)) continue;
    writeFileSync(file, `${text.endsWith('\n') || text === '' ? text : `${text}\n`}${shim}`);
    chmodSync(file, 0o755);
    updated.push(`.husky/${hook}`);
  }
  return { created, updated, hooksPath, packagePath };
}
