// The sessions part of one tree, listed with one `git ls-tree -r` (check's end tree when no
// walk ended there) or taken from a listing the caller has (the hub's transaction).
import { gitSync } from '../git.ts';
import type { HistoryChange, SessionsModel } from './sessions-model.ts';

/** One entry of an `ls-tree -r` listing. */
export interface ListedEntry {
  mode: string;
  sha: string;
  path: string;
}

/**
 * Loads the sessions part of `rev`'s tree into `model`: from `listed` when the caller has it
 * (an `ls-tree -r` of the sessions folder and the lock file), else with one ls-tree.
 */
export function loadTree(model: SessionsModel, rev: string | undefined, cwd: string, env?: NodeJS.ProcessEnv, listed?: readonly ListedEntry[]): void {
  model.reset();
  if (rev === undefined) return;
  const changes: HistoryChange[] = [];
  if (listed) {
    for (const entry of listed) changes.push({ status: 'A', path: entry.path, mode: entry.mode, newId: entry.sha });
  } else {
    const out = gitSync(['ls-tree', '-r', '-z', '--full-tree', rev, '--', model.sessionsPrefix.slice(0, -1), model.lockPath], { cwd, env });
    for (const entry of out.split('\0')) {
      if (!entry) continue;
      const tab = entry.indexOf('\t');
      const [mode, , id] = entry.slice(0, tab).split(' ');
      changes.push({ status: 'A', path: entry.slice(tab + 1), mode, newId: id });
    }
  }
  model.apply(model.deltaOf(changes), rev);
}

