// The history walk for pre-push, check and pre-receive: the commits of a range oldest first,
// one `git log --raw` per slice of 10,000 commits (never a process per commit or per branch
// point), each turned into Facts (history-facts.ts) and handed to a visitor (the rules).
// What is judged against what (pre-adoption history skipped, merges against each parent
// already on the guarded branch) is planned first (walk-plan.ts). The sessions snapshot is
// kept incrementally (sessions-model.ts); at a branch point the model moves to the state of
// the commit judged against from what the walk already has (walk-states.ts). The few file
// contents the rules need (lock file, .session-env, SESSION.md) and the trees of commits
// outside the range come through one `git cat-file --batch` process, asked a batch ahead.
// `currentSession` is always undefined here: history judges each commit by its own
// message, the tree it is judged against and its author.
import { gitSync } from '../git.ts';
import { parseSessionEnv } from '../sessions.ts';
import { BlobReader } from './blob-reader.ts';
import { eagerRecords, RecordTooLargeError } from './log-stream.ts';
import { HistoryFacts, type WalkContext } from './history-facts.ts';
import { LogRecords, type HistoryCommit } from './log-record.ts';
import { historyLogArgs } from './log-args.ts';
import { fresh, SessionsModel, type HistoryChange } from './sessions-model.ts';
import { emptyPlan, planWalk, type WalkPlan } from './walk-plan.ts';
import { MergeDiffs } from './merge-diffs.ts';
import { MergeAhead, trailOf } from './merge-ahead.ts';
import { WalkStates } from './walk-states.ts';
import type { Facts, Identity } from './types.ts';

const BATCH = 128;
const SLICE = 10_000;
const ZERO_ID = /^0+$/;

export { loadTree, type ListedEntry } from './tree-listing.ts';
export type { Verdict, VisitResult, WalkOptions } from './walk-options.ts';
import type { Verdict, VisitResult, WalkOptions } from './walk-options.ts';

// The small files rules read in history: the lock file, and a session folder's .session-env
// (attribution) and SESSION.md (session-md-readonly). Anything else is read on demand.
function isInteresting(model: SessionsModel, path: string): boolean {
  return path === model.lockPath || (path.startsWith(model.sessionsPrefix) && (path.endsWith('/.session-env') || path.endsWith('/SESSION.md')));
}


/**
 * Walks the commits of `revs` oldest first and calls `visit` with each one's Facts. A plain
 * callback rather than an async generator: the visitor (the rules) is synchronous almost
 * always, and an async hop per commit through several generator layers cost more than
 * some of the rules. Resolves true when every commit was visited, false when `visit` stopped it.
 */
export async function walkHistory(options: WalkOptions, visit: (facts: Facts) => VisitResult): Promise<boolean> {
  const { cwd, env, config } = options;
  const model = new SessionsModel(config.paths.sessions, config.paths.lockFile);
  const blobs = options.blobs ?? new BlobReader(cwd, env);
  const read = (id: string) => blobs.get(id);
  const identities = new Map<string, Identity | undefined>();
  let count = 0;

  const identityOf = (id: string | undefined): Identity | undefined => {
    if (id === undefined) return undefined;
    if (!identities.has(id)) {
      const text = blobs.get(id);
      const values = text === undefined ? {} : parseSessionEnv(text);
      const name = values.GIT_AUTHOR_NAME;
      const email = values.GIT_AUTHOR_EMAIL;
      identities.set(fresh(id), name !== undefined || email !== undefined ? { name: name ?? '', email: email ?? '' } : undefined);
    }
    return identities.get(id);
  };

  let plan: WalkPlan = emptyPlan();
  const mergeDiffs = new MergeDiffs(cwd, env);
  /** The parents a commit is judged against, and whether any one of them passing is enough. */
  const judgementOf = (commit: HistoryCommit): { parents: readonly (string | undefined)[]; any: boolean } => {
    const merge = plan.merges.get(commit.sha);
    if (merge) return { parents: merge.parents, any: merge.mode === 'any' };
    if (commit.parents.length > 1) return { parents: commit.parents, any: true }; // commits given by the caller
    return { parents: commit.parents.length > 0 ? [commit.parents[0]] : [undefined], any: false };
  };
  const changesAgainst = async (commit: HistoryCommit, parent: string | undefined): Promise<readonly HistoryChange[]> => {
    if (parent === undefined || parent === commit.parents[0]) return commit.changes;
    const changes = await mergeDiffs.changes(commit.sha, parent);
    await blobs.fetch(interestingIds([changes]));
    return changes;
  };
  const mergeAhead = new MergeAhead({
    diffs: mergeDiffs,
    blobs,
    judgementOf,
    uses: (sha) => plan.uses.get(sha) ?? 1,
    inLayout: (path) => model.inLayout(path),
    interestingIds: (changes) => interestingIds([changes]),
    merges: () => plan.merges.size > 0,
  });

  // The blobs a batch of commits will ask for. A batch's blobs are requested (one write to
  // cat-file) when the batch is complete, and the batch is judged only after the previous
  // one: git answers while the rules work, instead of the walk waiting on a round trip per
  // few commits (on two cores, those waits and wake-ups were a third of the walk's time).
  function interestingIds(lists: Iterable<readonly HistoryChange[]>): Set<string> {
    const ids = new Set<string>();
    for (const changes of lists) {
      for (const change of changes) {
        if (change.newId && !ZERO_ID.test(change.newId) && isInteresting(model, change.path)) ids.add(change.newId);
        if (change.oldId && !ZERO_ID.test(change.oldId) && isInteresting(model, change.from ?? change.path)) ids.add(change.oldId);
      }
    }
    return ids;
  }
  /** Ids the batch waiting behind the one being judged has asked for: kept in the cache. */
  let pinned: ReadonlySet<string> = new Set();

  const readAt = (rev: string | undefined, path: string, id: string | undefined): string | undefined => {
    if (id !== undefined) return ZERO_ID.test(id) ? undefined : blobs.get(id);
    if (rev === undefined) return undefined;
    try {
      return gitSync(['cat-file', 'blob', `${rev}:${path}`], { cwd, env });
    } catch {
      return undefined;
    }
  };
  const walk: WalkContext = { options, model, read, identityOf, readAt, changesAgainst };
  const listed = options.base ? { rev: options.base.rev, changes: options.base.entries.map((e): HistoryChange => ({ status: 'A', path: e.path, mode: e.mode, newId: e.sha })) } : undefined;
  let states = new WalkStates(model, blobs, plan.uses, listed, options.compactEvery);
  let stopped = false;
  async function judged(commit: HistoryCommit): Promise<void> {
    for (const parent of commit.parents) states.used(parent);
    if (commit.parents.length > 1) mergeAhead.judged(commit);
    count++;
    if (options.onProgress && count % 1000 === 0) options.onProgress(count);
    // Give the event loop a turn now and then, so git's output keeps being read (and git
    // keeps working on the other core) while the rules run.
    if (count % 64 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  async function judge(commits: readonly HistoryCommit[]): Promise<void> {
    for (const commit of commits) {
      const { parents, any } = judgementOf(commit);
      // The commit's state is kept through one parent (the trail): the deepest, so that a
      // merge made from a stale side (`git pull`) hangs main's states on main's, not on the
      // side's (moves between them would undo and redo everything since the fork).
      const trail = trailOf(commit, parents, (sha) => states.depth(sha));
      // 'any': the trail first (the model is often there already, and one pass is enough);
      // 'each': the trail last, so the model ends at the commit.
      const others = parents.filter((p) => p !== trail);
      const ordered = any ? [trail, ...others] : [...others, trail];
      for (let i = 0; i < ordered.length; i++) {
        const parent = ordered[i];
        // At a branch point (or the range's base) the model moves to the parent's state.
        if (model.head !== parent) await states.moveTo(parent, plan.bare);
        // (No await for the first parent: an async hop per commit costs more than some rules.)
        const changes = parent === undefined || parent === commit.parents[0] ? commit.changes : await changesAgainst(commit, parent);
        const delta = model.deltaOf(changes);
        const more = any && i < ordered.length - 1;
        let verdict = visit(new HistoryFacts(walk, commit, changes, delta, model.snapshot(read), parent, any ? { more } : undefined));
        if (verdict instanceof Promise) verdict = await verdict;
        if (verdict === true) {
          stopped = true;
          return;
        }
        if (parent === trail) {
          states.advance(commit.sha, changes, () => model.apply(delta));
        }
        // Legal against one of the parents is enough: the others are not asked.
        if (any && verdict !== 'again') break;
      }
      // After judging against a parent past the trail, back to the commit's own state.
      if (model.head !== commit.sha) await states.moveTo(commit.sha, plan.bare);
      await judged(commit);
    }
    // Keep only what later commits may ask for: the active sessions' identities, the lock and
    // what the next batch asked for.
    // The walk moves back and forth between branches: the lock files it met lately stay too
    // (a move back to one then needs no round trip to cat-file).
    const keep = new Set([...model.envIds.values(), ...(model.lockId ? [model.lockId] : []), ...pinned, ...states.recentLocks()]);
    mergeAhead.keepBlobs(keep);
    blobs.retainOnly(keep);
  }

  // The order comes from one `git rev-list` (walk-plan.ts); the commits with their changes from
  // `git log --no-walk=unsorted --stdin`, one process per SLICE of ids. One git log over the
  // whole range would do too, but its object cache grows with the history (about 200 MB at
  // 100,000 commits); slices keep git's memory, like ours, flat.
  // The arguments and why: log-args.ts.
  const logArgs = historyLogArgs();
  try {
    let batch: HistoryCommit[] = [];
    let waiting: { commits: HistoryCommit[]; ready: Promise<void> } | undefined;
    // Requests the full batch's blobs, then judges the batch before it (whose blobs have had
    // the time it took to read this one to arrive).
    const rotate = async (): Promise<void> => {
      const wanted = interestingIds(batch.map((commit) => commit.changes));
      let next: typeof waiting;
      if (batch.length > 0) {
        next = { commits: batch, ready: blobs.fetch(wanted) };
        next.ready.catch(() => {}); // awaited below, one batch later; no unhandled rejection meanwhile
      }
      batch = [];
      const previous = waiting;
      waiting = next;
      pinned = wanted;
      if (previous) {
        await previous.ready;
        await judge(previous.commits);
      }
    };
    // Every id first (rev-list --reverse --topo-order prints nothing before it has them all
    // anyway), then one git log per SLICE. While one slice is judged, the next slice's git
    // log already runs (up to eagerRecords' 1 MB of output ahead): on a long history git's
    // tree diffs cost more than the rules, and a second git keeps both cores busy. (A larger
    // buffer ahead was faster still, but memory at 100,000 commits grew by 10-20 MB per MB.)
    if (options.commits) plan = { ...emptyPlan(), ids: [...options.commits] };
    else {
      const guardedTip = options.guardedTip ?? options.base?.rev;
      const sessionsDir = config.paths.sessions;
      const tipAdopted = guardedTip !== undefined && (await blobs.objects([`${guardedTip}:${sessionsDir}`]))[0]?.type === 'tree';
      plan = await planWalk({ cwd, ...(env ? { env } : {}), revs: options.revs, ...(guardedTip !== undefined ? { guardedTip } : {}), tipAdopted, onMain: options.onMain, sessionsDir, lockPath: config.paths.lockFile });
      states = new WalkStates(model, blobs, plan.uses, listed, options.compactEvery);
    }
    const ids = plan.ids;
    const slice = options.slice ?? SLICE;
    const open = (from: number) => {
      const input = `${ids.slice(from, from + slice).join('\n')}\n`;
      const records = eagerRecords(logArgs, { cwd, ...(env ? { env } : {}), separator: '\x01', input });
      const first = records.next(); // starts git now
      first.catch(() => {}); // awaited in turn; no unhandled rejection meanwhile
      return { records, first };
    };
    let ahead = ids.length > 0 ? open(0) : undefined;
    // The slice being read: a refusal thrown while reading it (a record cut by a \x01) must
    // stop its git too, or a git with output still to write blocks on the full pipe and
    // keeps this process from ever exiting.
    let current: ReturnType<typeof open> | undefined;
    try {
      for (let from = 0; from < ids.length; from += slice) {
        current = ahead!;
        ahead = from + slice < ids.length ? open(from + slice) : undefined;
        const records = new LogRecords(ids.slice(from, from + slice));
        const nextStep = async (step: Promise<IteratorResult<string[]>>) => {
          try {
            return await step;
          } catch (error) {
            throw error instanceof RecordTooLargeError ? records.tooLarge() : error;
          }
        };
        for (let step = await nextStep(current.first); !step.done; step = await nextStep(current.records.next())) {
          for (const record of step.value) {
            const commit = records.take(record);
            if (!commit) continue;
            mergeAhead.read(commit);
            batch.push(commit);
            if (batch.length >= BATCH) {
              await rotate();
              if (stopped) return false; // its git is stopped below
            }
          }
        }
        records.end();
      }
      current = undefined;
    } finally {
      await current?.records.return(undefined);
      await ahead?.records.return(undefined);
    }
    await rotate();
    if (stopped) return false;
    await rotate();
    if (stopped) return false;
    if (process.env.AGENT_SESSIONS_DEBUG === '1') process.stderr.write(`agent-sessions: walk of ${count} commits, state moves ${JSON.stringify(states.stats)}, ${states.chainLength()} states held, merge diffs ${JSON.stringify(mergeDiffs.stats)}, ancestry ${JSON.stringify(plan.ancestry)}\n`);
    options.onEnd?.({ head: model.head, model, read });
    return true;
  } finally {
    mergeDiffs.close();
    if (!options.blobs) blobs.close();
  }
}
