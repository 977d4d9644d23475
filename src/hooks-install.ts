// Installs the client hooks through husky, and makes them reach linked worktrees.
// husky writes `.husky/_/` (git-ignored) and sets core.hooksPath to the relative `.husky/_`;
// a linked worktree has no `.husky/_` of its own, so git would silently run no hook there.
// We therefore point core.hooksPath at the main worktree's `.husky/_` by absolute path,
// which every worktree of the repository shares. The shims in `.husky/<hook>` find the
// package by a path relative to `.husky/`, so a worktree without node_modules still works.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { detectHookManager, isHuskyPath, type DetectedManager, type HookManagerName } from './hook-managers/detect.ts';
import { CLIENT_HOOKS } from './hook-managers/entries.ts';
import { runManagerInstall } from './hook-managers/install.ts';
import { addToLefthook } from './hook-managers/lefthook.ts';
import { addToPreCommit } from './hook-managers/pre-commit.ts';
import { addToSimpleGitHooks } from './hook-managers/simple-git-hooks.ts';
import { runnerFor } from './hook-managers/entries.ts';
import { UsageError } from './errors.ts';
import { commonDirOf, gitDirOf, gitSync, isInsideDir } from './git.ts';
import { packageRoot } from './package-root.ts';
import { checkedPath, readRepoText, safeChmod, safeMkdir, safeWriteFile } from './safe-fs.ts';

export { CLIENT_HOOKS } from './hook-managers/entries.ts';
export const SHIM_MARKER = '# agent-sessions:';

export interface HookInstallResult {
  created: string[];
  updated: string[];
  hooksPath: string;
  packagePath: string;
  huskyMessage?: string;
  /** The hook manager our hooks were installed through (husky unless the team runs another). */
  manager: HookManagerName;
  /** What is left to do by hand, when the manager's own installer could not be run here. */
  next?: string;
}

/** The main worktree's top level, seen from any worktree of the repository. */
export function mainWorktreeOf(top: string): string {
  const common = commonDirOf(gitDirOf(top, {}));
  return dirname(common);
}

/** Where the shims look for the package, relative to `.husky/` (or `fromDir`) when it is inside the repo. */
export function packagePathForShims(mainTop: string, cwd: string, fromDir = join(mainTop, '.husky')): string {
  const candidates: string[] = [];
  let dir = realpathSync(cwd);
  const top = realpathSync(mainTop);
  while (dir.startsWith(top)) {
    candidates.push(join(dir, 'node_modules', 'agent-sessions'));
    if (dir === top) break;
    dir = dirname(dir);
  }
  for (const candidate of candidates) {
    if (existsSync(join(candidate, 'hooks', 'run.sh'))) return relative(realpathSync(fromDir), candidate).split('\\').join('/');
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
    `if [ -f "$as_run" ]; then sh "$as_run" ${hook} "$@" || exit $?; else echo "agent-sessions: not installed ($as_run missing); ${hook} checks skipped. Run npm install." >&2; fi`,
    '',
  ].join('\n');
}


/**
 * Puts our shim into a hook file's text where it runs: before the file's first top-level
 * `exit` (a hook that ends `exit 0` would never reach a line appended after it), else at the
 * end. A shim already placed after such an exit is moved. Returns undefined when unchanged.
 */
export function placeShim(text: string, shim: string): string | undefined {
  const lines = text.split('\n');
  const mark = lines.findIndex((l) => l.startsWith(SHIM_MARKER));
  const exitAt = (ls: string[]) => ls.findIndex((l) => /^exit\b/.test(l));
  if (mark !== -1) {
    const firstExit = exitAt(lines);
    if (firstExit === -1 || mark < firstExit) return undefined;
    const end = lines.findIndex((l, i) => i > mark && l.startsWith('if [ -f "$as_run" ]'));
    lines.splice(mark, (end === -1 ? mark : end) - mark + 1);
  }
  const at = exitAt(lines);
  const shimLines = shim.replace(/\n$/, '').split('\n');
  if (at === -1) {
    const body = lines.join('\n');
    return `${body.endsWith('\n') || body === '' ? body : `${body}\n`}${shim}`;
  }
  lines.splice(at, 0, ...shimLines);
  return lines.join('\n');
}

/**
 * Writes or updates our shim in each hook file of `dir` (husky's folder or the team's own).
 * Inside the repository nothing is written through a link (safe-fs); a hooks folder outside
 * it comes from the user's own local git config, not from the repository.
 */
function shimHooks(root: string, dir: string, relDir: string, packagePath: string, created: string[], updated: string[], header = ''): void {
  const inside = isInsideDir(dir, root);
  const write = (file: string, text: string, mode?: number) =>
    inside ? safeWriteFile(root, file, text, mode === undefined ? undefined : { mode }) : writeFileSync(file, text, mode === undefined ? undefined : { mode });
  if (inside) safeMkdir(root, dir);
  else mkdirSync(dir, { recursive: true });
  for (const hook of CLIENT_HOOKS) {
    const file = join(dir, hook);
    const shim = shimText(hook, packagePath);
    if (!existsSync(file)) {
      write(file, `${header}${shim}`, 0o755);
      created.push(`${relDir}/${hook}`);
      continue;
    }
    // inside the repository the hook file is the repository's: read as such (no link, bounded)
    const next = placeShim(inside ? (readRepoText(root, file) ?? '') : readFileSync(file, 'utf8'), shim);
    if (next === undefined) continue;
    write(file, next);
    if (inside) safeChmod(root, file, 0o755);
    else chmodSync(file, 0o755);
    updated.push(`${relDir}/${hook}`);
  }
}

export async function installHooks(top: string, cwd: string = top): Promise<HookInstallResult> {
  const mainTop = mainWorktreeOf(top);
  const detected = detectHookManager(mainTop);
  if (detected.name !== 'husky') return joinManager(mainTop, cwd, detected);
  const created: string[] = [];
  const updated: string[] = [];
  const huskyDir = join(mainTop, '.husky');
  const before = process.cwd();
  let huskyMessage = '';
  const { default: husky } = (await import('husky')) as { default: (dir?: string) => string };
  // husky writes .husky/_/* with plain fs calls: none of it may be a link out of the repository
  const huskyOwn = join(huskyDir, '_');
  checkedPath(mainTop, huskyOwn);
  if (existsSync(huskyOwn)) for (const name of readdirSync(huskyOwn)) checkedPath(mainTop, join(huskyOwn, name));
  try {
    process.chdir(mainTop);
    huskyMessage = husky('.husky');
  } finally {
    process.chdir(before);
  }
  if (huskyMessage) {
    if (huskyMessage.includes('HUSKY=0')) return { created, updated, hooksPath: '', packagePath: '', huskyMessage, manager: 'husky' };
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
  shimHooks(mainTop, huskyDir, '.husky', packagePath, created, updated);
  return { created, updated, hooksPath, packagePath, manager: 'husky' };
}

/** Joins the team's own manager (lefthook, pre-commit, simple-git-hooks, a hooks folder). */
async function joinManager(mainTop: string, cwd: string, detected: DetectedManager): Promise<HookInstallResult> {
  const created: string[] = [];
  const updated: string[] = [];
  if (detected.name === 'hooks-path') {
    const dir = resolve(mainTop, detected.hooksPath!);
    if (isInsideDir(dir, mainTop)) safeMkdir(mainTop, dir);
    else mkdirSync(dir, { recursive: true });
    const packagePath = packagePathForShims(mainTop, cwd, dir);
    shimHooks(mainTop, dir, relative(mainTop, dir) || '.', packagePath, created, updated, '#!/bin/sh\n');
    return { created, updated, hooksPath: dir, packagePath, manager: 'hooks-path' };
  }
  // These managers install into .git/hooks, which git ignores while core.hooksPath is set: a
  // husky path left by an earlier `init` of ours is removed (never the team's own path).
  if (detected.hooksPath && isHuskyPath(detected.hooksPath)) gitSync(['config', '--local', '--unset', 'core.hooksPath'], { cwd: mainTop, okCodes: [5] });
  const runner = runnerFor(mainTop, cwd);
  const config = detected.config!;
  const changed =
    detected.name === 'lefthook' ? addToLefthook(mainTop, config, runner) : detected.name === 'pre-commit' ? addToPreCommit(mainTop, config, runner) : addToSimpleGitHooks(mainTop, config, runner);
  if (changed) updated.push(config);
  const next = runManagerInstall(mainTop, detected.name);
  return { created, updated, hooksPath: join(commonDirOf(gitDirOf(mainTop, {})), 'hooks'), packagePath: runner, manager: detected.name, ...(next ? { next } : {}) };
}
