// The diffs a merge will be judged on, asked of git when the walk READS the merge, a batch
// before it judges it: git answers while the rules work, instead of one round trip per merge
// (a third of the merges of a merge-heavy history are judged against a parent other than
// their first). Which parent is judged first (the trail) depends on the depths of the walk's
// states, which are known only at judge time; here they are predicted with the same rule,
// counted at read time (a commit that changes the layout is one deeper than its trail). A
// wrong guess costs a round trip at judge time, never a verdict: the walk decides as before
// and takes an answer asked ahead only when it is the one it needs (MergeDiffs.changes).
import type { BlobReader } from './blob-reader.ts';
import type { HistoryCommit } from './log-record.ts';
import { fresh, type HistoryChange } from './sessions-model.ts';
import type { MergeDiffs } from './merge-diffs.ts';

/** Merges with at most this many parents have their other diffs asked ahead. */
const AHEAD_PARENTS = 4;

/**
 * The trail: the parent whose state a commit's is kept through, the deepest (ties: the
 * first parent), so that a merge made from a stale side (`git pull`) hangs main's states on
 * main's, not on the side's.
 */
export function trailOf(commit: HistoryCommit, parents: readonly (string | undefined)[], depth: (sha: string | undefined) => number): string | undefined {
  let trail = parents[0];
  if (parents.length < 2) return trail; // most commits: no depth to compare (map lookups saved)
  for (const parent of parents) {
    const d = depth(parent);
    if (d > depth(trail) || (d === depth(trail) && parent === commit.parents[0])) trail = parent;
  }
  return trail;
}

export interface MergeAheadContext {
  diffs: MergeDiffs;
  blobs: BlobReader;
  /** The parents a commit is judged against, and whether any one of them is enough. */
  judgementOf: (commit: HistoryCommit) => { parents: readonly (string | undefined)[]; any: boolean };
  /** How many judgements of the walk start from a commit. */
  uses: (sha: string) => number;
  inLayout: (path: string) => boolean;
  /** The blob ids of these changes the rules may read. */
  interestingIds: (changes: readonly HistoryChange[]) => Set<string>;
  /** Whether the walk has merges at all (none: nothing to ask ahead, no depth to predict). */
  merges: () => boolean;
}

export class MergeAhead {
  /** Predicted depth of the commits read so far, kept until their last child is read. */
  private readonly predicted = new Map<string, { depth: number; left: number }>();
  /** Blob ids of the diffs asked ahead, by merge: kept in the cache until it is judged. */
  private readonly heldIds = new Map<string, Set<string>>();

  constructor(private readonly context: MergeAheadContext) {}

  private depth(sha: string | undefined): number {
    return sha === undefined ? 0 : (this.predicted.get(sha)?.depth ?? -1);
  }

  /** A commit as it is read (parents before children): asks for the diffs it will need. */
  read(commit: HistoryCommit): void {
    const { diffs, blobs, judgementOf, uses, inLayout, interestingIds, merges } = this.context;
    if (!merges()) return; // a walk without merges (linear history, most pushes) asks nothing ahead
    const { parents, any } = judgementOf(commit);
    const trail = trailOf(commit, parents, (sha) => this.depth(sha));
    // Only ordinary merges are asked ahead: an octopus of many parents (hostile, on a hub)
    // would hold every parent's diff at once; it is asked one parent at a time when judged.
    if (commit.parents.length > 1 && commit.parents.length <= AHEAD_PARENTS) {
      for (const parent of any ? [trail] : parents) {
        if (parent === undefined || parent === commit.parents[0]) continue;
        const sha = fresh(commit.sha);
        void diffs
          .prefetch(sha, fresh(parent))
          .then((changes) => {
            const ids = interestingIds(changes);
            if (ids.size === 0) return;
            const held = this.heldIds.get(sha) ?? new Set<string>();
            for (const id of ids) held.add(id);
            this.heldIds.set(sha, held);
            return blobs.fetch(ids);
          })
          .catch(() => {}); // asked again, with its error, when judged
      }
    }
    const layout = (trail === undefined || trail === commit.parents[0]) && commit.changes.some((c) => inLayout(c.path) || (c.from !== undefined && inLayout(c.from)));
    this.predicted.set(fresh(commit.sha), { depth: Math.max(this.depth(trail), 0) + (layout ? 1 : 0), left: uses(commit.sha) });
    for (const parent of commit.parents) {
      const entry = this.predicted.get(parent);
      if (entry && --entry.left <= 0) this.predicted.delete(parent);
    }
  }

  /** A merge has been judged: what was asked ahead for it and not used is dropped. */
  judged(commit: HistoryCommit): void {
    this.context.diffs.forget(commit.sha, commit.parents);
    this.heldIds.delete(commit.sha);
  }

  /** Adds the blob ids asked ahead for merges not judged yet (the cache keeps them). */
  keepBlobs(keep: Set<string>): void {
    for (const ids of this.heldIds.values()) for (const id of ids) keep.add(id);
  }
}
