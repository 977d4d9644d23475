// The one command line each client hook runs, written into another manager's config. Every
// manager runs hook commands from the repository's top, so the path to our runner is
// repo-relative when the package sits in the repository's node_modules (a fresh clone with
// `npm install` finds it), else absolute.
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { packageRoot } from '../package-root.ts';

export const CLIENT_HOOKS = ['commit-msg', 'pre-commit', 'prepare-commit-msg', 'pre-push', 'post-checkout', 'post-merge', 'post-rewrite'] as const;
export type ClientHook = (typeof CLIENT_HOOKS)[number];

/** `sh <path>/hooks/run.sh`, the entry to our checks from any manager. */
export function runnerFor(top: string, cwd: string): string {
  let dir = realpathSync(cwd);
  const root = realpathSync(top);
  while (dir.startsWith(root)) {
    const candidate = join(dir, 'node_modules', 'agent-sessions', 'hooks', 'run.sh');
    if (existsSync(candidate)) return relative(root, candidate).split('\\').join('/');
    if (dir === root) break;
    dir = dirname(dir);
  }
  return join(packageRoot(), 'hooks', 'run.sh');
}

/** How many of git's arguments each hook gets (post-checkout: old, new, flag...). */
export const HOOK_ARGS: Record<ClientHook, number> = {
  'commit-msg': 1,
  'pre-commit': 0,
  'prepare-commit-msg': 3,
  'pre-push': 2,
  'post-checkout': 3,
  'post-merge': 1,
  'post-rewrite': 1,
};

export const ENTRY_MARK = 'agent-sessions';

/**
 * The runner as a shell word. A repo-relative runner is found from the main checkout's top,
 * `$(git rev-parse --git-common-dir)/..`, because a linked worktree (where the manager runs
 * the command from the worktree's top) has no node_modules of its own.
 */
export function runnerWord(runner: string): string {
  return runner.startsWith('/') ? `'${runner.replace(/'/g, `'\\''`)}'` : `"$(git rev-parse --git-common-dir)/../${runner}"`;
}

export { readManagerConfig } from './read-config.ts';
