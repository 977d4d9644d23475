// Installs the client hooks through husky, and makes them reach linked worktrees.
// husky writes `.husky/_/` (git-ignored) and sets core.hooksPath to the relative `.husky/_`;
// a linked worktree has no `.husky/_` of its own, so git would silently run no hook there.
// We therefore point core.hooksPath at the main worktree's `.husky/_` by absolute path,
// which every worktree of the repository shares. The shims in `.husky/<hook>` find the
// package by a path relative to `.husky/`, so a worktree without node_modules still works.
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UsageError } from './errors.ts';
import { commonDirOf, gitDirOf, gitSync } from './git.ts';
import { packageRoot } from './package-root.ts';

export const CLIENT_HOOKS = ['commit-msg', 'pre-commit', 'prepare-commit-msg', 'pre-push', 'post-checkout', 'post-merge', 'post-rewrite'] as const;
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


export async function installHooks(top: string, cwd: string = top): Promise<HookInstallResult> {
  const mainTop = mainWorktreeOf(top);
  const created: string[] = [];
  const updated: string[] = [];
  const huskyDir = join(mainTop, '.husky');
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
