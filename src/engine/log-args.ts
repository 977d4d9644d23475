// The history walk's git log, as one list of arguments: the walk runs it (facts-history.ts),
// and the hub's pre-receive starts it before the walk is loaded (hooks/pre-receive-early.ts),
// which works only while both ask for the very same process.
import { LOG_FORMAT } from './log-record.ts';

/**
 * git keeps up to 96 MB of delta bases by default; the big state-folder trees of a long
 * history fill it, for no gain in speed here (measured): capped so memory stays flat. The
 * settings that change what log prints are pinned (a global config with log.showRoot=false
 * hid a root commit's changes). --no-renames: a move is a deletion plus an addition, which
 * the model and every history rule read the same way as a rename pair, and git skips pairing
 * them.
 */
export function historyLogArgs(): string[] {
  return [
    ...['-c', 'core.deltaBaseCacheLimit=16m', '-c', 'log.showRoot=true', '-c', 'log.showSignature=false', '-c', 'diff.ignoreSubmodules=none'],
    ...['log', '--no-walk=unsorted', '--stdin', '-z', '--raw', '--no-renames', '--no-abbrev', '--diff-merges=first-parent', LOG_FORMAT, '--'],
  ];
}
