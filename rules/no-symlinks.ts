// no-symlinks: nothing under the sessions and knowledge folders (nor the lock file, the
// worktrees and clones folders, nor any folder above them) may be a symbolic link. The
// package reads and writes there on every teammate's machine: a committed link would turn
// `post-checkout`'s chmod, `board`, `new` or a template read into an access outside the
// repository. The package refuses to follow links itself (src/safe-fs.ts); this rule keeps
// them off the branch. git stores a link as a blob of mode 120000, so the facts' mode says it.
import type { Facts, Rule, RuleReport } from '../src/engine/types.ts';

const SYMLINK_MODE = '120000';

/** The guarded folders (and the lock file) this config names. */
function guarded(facts: Facts): string[] {
  const { sessions, knowledge, lockFile, worktrees, clones } = facts.config.paths;
  return [sessions, knowledge, lockFile, worktrees, clones];
}

/**
 * The guarded path `path` is, lies under, or lies above (a link to a parent folder moves them
 * all). Compared without case: on a case-insensitive file system (macOS, Windows)
 * `_agents/Sessions/x` checks out into the sessions folder.
 */
function guardedBy(path: string, roots: readonly string[]): string | undefined {
  const p = path.toLowerCase();
  for (const root of roots) {
    const r = root.toLowerCase();
    if (p === r || p.startsWith(`${r}/`) || r.startsWith(`${p}/`)) return root;
  }
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'no-symlinks',
    description: 'no symbolic link under (or above) the sessions and knowledge folders, the lock file, the worktrees and clones folders',
    defaultSeverity: 'error',
    runsAt: ['pre-commit', 'pre-push', 'check', 'pre-receive'],
  },
  check(facts) {
    let roots: string[] | undefined;
    const reports: RuleReport[] = [];
    for (let i = 0; i < facts.changes.length; i++) {
      const change = facts.changes[i]!;
      if (change.mode !== SYMLINK_MODE || change.status === 'D') continue;
      roots ??= guarded(facts);
      const root = guardedBy(change.path, roots);
      if (root === undefined) continue;
      const where = change.path.length === root.length ? root : change.path.length > root.length ? `under ${root}/` : `above ${root}/`;
      reports.push({
        message: `${change.path} is a symbolic link (${where}); links there would make agent-sessions read or write outside the repository`,
        fix: facts.commit
          ? `rewrite the commit without the link (git rm --cached -q -- ${change.path}, commit --amend or rebase -i, a plain file or folder in its place), then push again`
          : `git rm --cached -q -- ${change.path} && rm ${change.path}, then put a plain file or folder there and commit`,
        path: change.path,
      });
    }
    return reports;
  },
};

export default rule;
