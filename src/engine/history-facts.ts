// One commit's Facts in a history walk: the commit as git log gave it, judged against one
// parent (the first, or for a merge each parent already on the guarded branch in turn), the
// sessions of that parent (the walk's model) and of the commit (the model through the
// delta), and file contents read by blob id. One object per judgement; the expensive facts
// are computed on first use.
import type { Config } from '../config.ts';
import type { HistoryCommit } from './log-record.ts';
import type { Delta, HistoryChange, SessionsModel } from './sessions-model.ts';
import type { Facts, Identity, RunPoint, SessionsSnapshot } from './types.ts';
import type { TeamLint } from '../message/team-commitlint.ts';

/** What every commit's Facts share during one walk. */
export interface WalkContext {
  options: { runPoint: RunPoint; config: Config; onMain: boolean; teamLint?: TeamLint };
  model: SessionsModel;
  read: (id: string) => string | undefined;
  identityOf: (envId: string | undefined) => Identity | undefined;
  /** A file's content by blob id, else (no id known) `rev:path` through git. */
  readAt: (rev: string | undefined, path: string, id: string | undefined) => string | undefined;
  /** A commit's changes against one of its parents (the first: as git log gave them). */
  changesAgainst: (commit: HistoryCommit, parent: string) => Promise<readonly HistoryChange[]>;
}

/**
 * One commit's Facts: an object per commit whose methods compute the expensive facts on
 * first use (one allocation per commit instead of a closure per fact).
 */
export class HistoryFacts implements Facts {
  readonly runPoint: RunPoint;
  readonly config: Config;
  readonly message: string;
  readonly currentSession = undefined;
  readonly branch = undefined;
  readonly teamLint: TeamLint | undefined;
  readonly changes: readonly HistoryChange[];
  readonly before: SessionsSnapshot;
  readonly commit: NonNullable<Facts['commit']>;
  private readonly walk: WalkContext;
  private readonly delta: Delta;
  private afterView: SessionsSnapshot | undefined;
  /** Path -> change, built only when a rule reads a file. */
  private byPathMap: Map<string, HistoryChange> | undefined;

  /** The parent judged against (undefined: a root commit, judged against the empty tree). */
  private readonly against: string | undefined;
  private readonly source: HistoryCommit;
  private taken: Promise<ReadonlySet<string>> | undefined;

  constructor(walk: WalkContext, commit: HistoryCommit, changes: readonly HistoryChange[], delta: Delta, before: SessionsSnapshot, against: string | undefined, anyParent?: { more: boolean }) {
    this.walk = walk;
    this.delta = delta;
    this.runPoint = walk.options.runPoint;
    this.config = walk.options.config;
    this.message = commit.message;
    this.teamLint = walk.options.teamLint;
    this.changes = changes;
    this.before = before;
    this.against = against;
    this.source = commit;
    this.commit = { sha: commit.sha, parents: commit.parents, author: commit.author, committer: commit.committer, onMain: walk.options.onMain, against, ...(anyParent ? { anyParent } : {}) };
  }

  after(): SessionsSnapshot {
    return (this.afterView ??= this.walk.model.snapshot(this.walk.read, this.delta));
  }

  takenFromOtherParent(): Promise<ReadonlySet<string>> {
    return (this.taken ??= this.findTaken());
  }

  /** Paths of `changes` that some other parent has as the merge leaves them (absent from the diff against it). */
  private async findTaken(): Promise<ReadonlySet<string>> {
    const taken = new Set<string>();
    for (const parent of this.source.parents) {
      if (parent === this.against) continue;
      const differs = new Set<string>();
      for (const change of await this.walk.changesAgainst(this.source, parent)) differs.add(change.path);
      for (const change of this.changes) if (!differs.has(change.path)) taken.add(change.path);
    }
    return taken;
  }

  untracked(): readonly string[] {
    return [];
  }

  sessionIdentity(slug: string): Identity | undefined {
    return this.walk.identityOf(this.walk.model.envIds.get(slug));
  }

  private change(path: string): HistoryChange | undefined {
    if (!this.byPathMap) {
      this.byPathMap = new Map();
      for (const change of this.changes) this.byPathMap.set(change.path, change);
    }
    return this.byPathMap.get(path);
  }

  readBefore(path: string): string | undefined {
    const change = this.change(path);
    if (change && (change.status === 'A' || change.status === 'R' || change.status === 'C')) return undefined;
    const renamedFrom = change ? undefined : this.changes.find((c) => c.from === path && c.status === 'R');
    return this.walk.readAt(this.against, path, change ? change.oldId : renamedFrom?.oldId);
  }

  readAfter(path: string): string | undefined {
    return this.walk.readAt(this.commit.sha, path, this.change(path)?.newId ?? (this.changes.some((c) => c.from === path) ? '0' : undefined));
  }
}
