// What a history walk is asked to do (WalkOptions) and what its visitor answers (Verdict).
// Types only: shared by the walk (facts-history.ts) and its callers (src/check/history.ts).
import type { Config } from '../config.ts';
import type { BlobReader } from './blob-reader.ts';
import type { SessionsModel } from './sessions-model.ts';
import type { ListedEntry } from './tree-listing.ts';
import type { RunPoint } from './types.ts';
import type { TeamLint } from '../message/team-commitlint.ts';

export interface WalkOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  config: Config;
  runPoint: RunPoint;
  /** Revision arguments for `git log` (e.g. ['A..B'], ['HEAD'], ['<new>', '^<old>']). */
  revs: readonly string[];
  /**
   * The sessions part of one tree the caller has listed already (`ls-tree -r` of the sessions
   * folder and the lock file): used instead of listing it again when the walk starts there.
   */
  base?: { rev: string; entries: readonly ListedEntry[] };
  /** A blob reader to share (the caller keeps it open); default: one of the walk's own. */
  blobs?: BlobReader;
  /**
   * The commits of `revs`, oldest first, when the caller knows them already (a hub
   * transaction pushes exactly the one commit it built): spares the `git rev-list`.
   */
  commits?: readonly string[];
  /** Whether the commits reach main (the rules may judge main more strictly). */
  onMain: boolean;
  /**
   * The guarded branch's tip before these commits (a push's old tip, a check's base;
   * default: `base.rev`). A merge is judged against each of its parents that is this tip, an
   * ancestor of it, or a commit of the range on top of it. Without one (a first push,
   * `check --all`), merges are judged against their first parent, and the history before the
   * adoption of the protocol on the tip's first-parent line is skipped.
   */
  guardedTip?: string;
  /**
   * Called once when the walk has judged every commit (not when the consumer stops early),
   * with the model of the last commit's tree and a reader for its blobs: `check` validates
   * the end tree from it instead of listing that tree again.
   */
  onEnd?: (end: { head: string | undefined; model: SessionsModel; read: (id: string) => string | undefined }) => void;
  /** Commits per git log process (default 10,000; tests use small slices). */
  slice?: number;
  /** States made between two compactions of the walk's states (tests use small numbers). */
  compactEvery?: number;
  /** Called every `progressEvery` commits with the count so far. */
  onProgress?: (count: number) => void;
  /** The team's commitlint rules (pre-push, check; never pre-receive), loaded once by the caller. */
  teamLint?: TeamLint;
}

/**
 * What a walk's visitor returns: `true` stops the walk; `'again'` (for a merge judged against
 * any one parent, `facts.commit.anyParent`) asks for the judgement against its next parent,
 * because this one found an error. A promise of either, for an async visitor.
 */
export type Verdict = boolean | void | 'again';
export type VisitResult = Verdict | Promise<Verdict>;
