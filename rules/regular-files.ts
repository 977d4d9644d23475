// regular-files: under the sessions and knowledge folders, and at the lock file, every entry is
// a regular file (mode 100644 or 100755). A gitlink (mode 160000, a submodule's commit) there
// checks out as an empty folder: SESSION.md of an active session, or the lock file, replaced
// by a gitlink with the very same id would vanish from every checkout while the id-based
// comparisons saw nothing change. Links (120000) are no-symlinks' finding; this rule takes
// every other mode. Compared without case, as a case-insensitive checkout places the entry.
// (An entry where a layout folder itself must be is lifecycle's finding.)
import type { Rule, RuleReport } from '../src/engine/types.ts';
import { foldedUnder, foldPath, layoutRoots } from '../src/engine/paths.ts';

const FILE_MODES: ReadonlySet<string> = new Set(['100644', '100755']);
const SYMLINK_MODE = '120000';
const GITLINK_MODE = '160000';

export const rule: Rule = {
  meta: {
    id: 'regular-files',
    description: 'only regular files under the sessions and knowledge folders and at the lock file: no gitlink (submodule) there; links are no-symlinks\'',
    defaultSeverity: 'error',
    runsAt: ['pre-commit', 'pre-push', 'check', 'pre-receive'],
  },
  check(facts) {
    let roots: { root: string; folded: string }[] | undefined;
    const reports: RuleReport[] = [];
    for (let i = 0; i < facts.changes.length; i++) {
      const change = facts.changes[i]!;
      const mode = change.mode;
      // A deletion's mode is 000000; a change without a mode (none known) is not judged here.
      if (mode === undefined || change.status === 'D' || FILE_MODES.has(mode) || mode === SYMLINK_MODE) continue;
      roots ??= layoutRoots(facts.config).map((root) => ({ root, folded: foldPath(root) }));
      const hit = roots.find(({ root, folded }) => foldedUnder(change.path, root, folded));
      if (hit === undefined) continue;
      const what = mode === GITLINK_MODE ? 'a gitlink (a submodule commit, mode 160000)' : `an entry of mode ${mode}`;
      reports.push({
        message: `${change.path} is ${what}, not a regular file; in ${hit.root} it would check out as an empty folder`,
        fix: facts.commit
          ? `rewrite the commit with a regular file there (git rm --cached -q -- ${change.path}, add the file, commit --amend or rebase -i), then push again`
          : `git rm --cached -q -- ${change.path}, then add the regular file (git add -- ${change.path}) and commit`,
        path: change.path,
      });
    }
    return reports;
  },
};

export default rule;
