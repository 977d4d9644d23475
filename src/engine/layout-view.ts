// What of a commit's changes the history walk keeps: the paths a history rule can look at.
// Those are the guarded folders (sessions, knowledge, lock file, worktrees, clones), every
// folder above them, the config file and package.json; a commit that changes nothing there is
// judged by its message and author alone (quiet-facts.ts). The rules compare some paths
// without case (no-symlinks: macOS and Windows check `_agents/X` out into `_AGENTS/`), with
// JavaScript's toLowerCase, so the view compares the same way: a superset of what every rule
// reads. The test is on the path string git prints, whatever tree entries made it (a tree
// entry whose own name holds "/", `_AGENTS/sessions/x` at the top, is seen at that path).
//
// git is not asked to limit its diffs to these paths (pathspecs): its icase folds ASCII only
// (not the Kelvin sign that toLowerCase folds to "k"), a plain pathspec misses a tree entry
// whose name holds "/", and the glob pathspecs that would cover both made git's log four
// times slower on a long history (it can no longer skip a subtree).
import type { Config } from '../config.ts';
import { CONFIG_FILE } from '../config-file.ts';
import { PACKAGE_JSON } from '../policy/paths.ts';
import { guardedRoots } from './paths.ts';

/** True for a path a history rule may read (see the header). */
export function layoutView(config: Pick<Config, 'paths'>): (path: string) => boolean {
  const roots = [...guardedRoots(config), CONFIG_FILE, PACKAGE_JSON].map((root) => root.toLowerCase());
  return (path) => {
    const p = path.toLowerCase();
    for (const root of roots) {
      if (p === root || p.startsWith(`${root}/`) || root.startsWith(`${p}/`)) return true;
    }
    return false;
  };
}
