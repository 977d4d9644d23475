// The contract between facts, rules and reporters. Data flows one way:
// a hook (or check) gathers Facts from git once -> the engine runs each Rule's pure check
// -> Violations -> a reporter prints them. Rules do no I/O and know no hook.
import type { Config, Severity } from '../config.ts';
import type { LockEntry } from '../lockfile.ts';
import type { SessionState } from '../states.ts';
import type { TeamLint } from '../message/team-commitlint.ts';

/** Where a rule can run: the client hooks, and the history checks (pre-push, CI, hub). */
export type RunPoint = 'commit-msg' | 'pre-commit' | 'pre-push' | 'check' | 'pre-receive';

export interface Change {
  /** git's status letter: A M D R C T (U for unmerged). */
  status: string;
  /** Repo-relative POSIX path after the change. */
  path: string;
  /** For R and C: the path before. */
  from?: string;
  /** Mode after the change (e.g. 160000 for a gitlink), when known. */
  mode?: string;
  /** For R and C: git's similarity score (100 = identical content), when known. */
  similarity?: number;
}

/** The sessions as one tree holds them: slug -> state, plus the lock file's entries. */
export interface SessionsSnapshot {
  states: ReadonlyMap<string, SessionState>;
  /** Slugs found in more than one state folder. */
  duplicates: readonly string[];
  /** Entries under a state folder that are not valid slugs (repo-relative paths). */
  strays: readonly string[];
  lock: readonly LockEntry[] | undefined;
  /** Why the lock file could not be parsed, when it could not. */
  lockError?: string;
  /** Which folders hold which files, for the lifecycle rule (state -> slug -> file names). */
  files?: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface Identity {
  name: string;
  email: string;
}

/**
 * What a rule may look at. At commit time it describes the commit being made (index vs
 * HEAD); in history (pre-push, check, pre-receive) it describes one commit vs its first
 * parent. Expensive facts are functions, computed once when first asked.
 */
export interface Facts {
  runPoint: RunPoint;
  config: Config;
  /** The commit message, cleaned as git will store it; undefined at pre-commit. */
  message: string | undefined;
  /** Commit time only: SESSION_SLUG, else the branch session/<slug>. Never set in history. */
  currentSession: string | undefined;
  /** Commit time: the branch being committed to (during a rebase, the rebased branch). */
  branch: string | undefined;
  /** The changes this commit makes (commit time: the index against HEAD). */
  changes: readonly Change[];
  /** Sessions before the change: HEAD's tree at commit time, the first parent's in history. */
  before: SessionsSnapshot;
  /** Sessions after the change (the index, or this commit's tree). */
  after(): SessionsSnapshot;
  /** Commit time only: untracked files left in the work tree (lazy: it walks the tree). */
  untracked(): readonly string[];
  /** Commit time only: a merge is being concluded (MERGE_HEAD exists), so the changes
   * come partly from another branch. In history, look at commit.parents instead. */
  merging?: boolean;
  /** History only. */
  commit?: {
    sha: string;
    parents: readonly string[];
    author: Identity;
    committer: Identity;
    /** True when the commit reaches main (pre-push/pre-receive to main, check on main). */
    onMain: boolean;
    /**
     * The parent this judgement compares the commit with (`before` is its sessions): the
     * first parent, or for a merge on the guarded branch each parent already on it in turn
     * (one Facts each); undefined for a root commit (the empty tree).
     */
    against?: string | undefined;
    /**
     * Set for a merge that need only be legal against one of its parents (no parent known to
     * be on the guarded branch: `check --all`, a first push, a branch off main); `more`: other
     * parents are left to try.
     */
    anyParent?: { more: boolean };
  };
  /**
   * History, a merge judged against any one of its parents (commit.anyParent): the paths of
   * `changes` that the merge leaves as one of its OTHER parents has them, i.e. taken from that
   * side (whose own commits are judged on their own), not written by the merge itself. Asked
   * of git on first use (a diff against each other parent), so only a rule that needs it pays.
   */
  takenFromOtherParent?(): Promise<ReadonlySet<string>>;
  /** Commit time only: who git will record as the author (lazy; undefined if git cannot say). */
  author?(): Identity | undefined;
  /** The identity a session's .session-env (in the parent tree) gives, if any. Lazy. */
  sessionIdentity(slug: string): Identity | undefined;
  /** Content of a file in the tree after the change (lazy, small files only). */
  readAfter(path: string): string | undefined;
  /** Content of a file in the tree before the change. */
  readBefore(path: string): string | undefined;
  /** The team's own commitlint rules, when the repository has a commitlint config and this
   * run point may load it (never pre-receive: a pushed config is code). */
  teamLint?: TeamLint;
}

export interface RuleMeta {
  /** Equal to the rule's file name in rules/. */
  id: string;
  /** One line, shown by `agent-sessions rules` and in the README. */
  description: string;
  defaultSeverity: Severity;
  /** The run points this rule serves. */
  runsAt: readonly RunPoint[];
}

/** What a rule reports; the engine adds the rule id and the severity. */
export interface RuleReport {
  message: string;
  /** The fix, as a command or corrected text where possible. */
  fix: string;
  path?: string;
  line?: number;
}

export interface Rule<Options extends Record<string, unknown> = Record<string, unknown>> {
  meta: RuleMeta;
  check(facts: Facts, options: Options): readonly RuleReport[] | Promise<readonly RuleReport[]>;
}

export interface Violation extends RuleReport {
  rule: string;
  severity: 'error' | 'warn';
  /** The commit judged, in history. */
  commit?: string;
}
