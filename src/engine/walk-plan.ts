// What a history walk judges, decided before the first commit is read (docs/rules.md,
// "History is judged completely"):
// - every commit of the range, root commits against the empty tree, EXCEPT the history
//   before the adoption: the ancestors of the adoption commit, which is found once with one
//   path-limited `git rev-list --first-parent` and excluded from the walk (`^<adoption>^@`),
//   so that git never even lists them. Only needed when the guarded branch's old tip has no
//   layout yet (a first push, `check --all`, a range from before the adoption): a push onto
//   an adopted branch cannot contain an ancestor of its adoption.
// - a merge, on the guarded branch, once against EACH parent that was already on it (outside
//   the range, or inside it but descending from the old tip), with that parent's sessions;
//   a merge with no such parent (and every merge off the guarded branch, and every merge of
//   `check --all`, which has no old tip) against its first parent.
// One `git rev-list --parents` gives the order and every parent; the diffs against parents
// other than the first come from one `git diff-tree --stdin` for all of them.
import { eagerRecords } from './log-stream.ts';
import { LOG_FORMAT, parseLogRecord } from './log-record.ts';
import type { HistoryChange } from './sessions-model.ts';

export interface PlanRequest {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  revs: readonly string[];
  /** The guarded branch's old tip (push: the remote's/hub's old main; check: the range's base). */
  guardedTip?: string;
  /** Whether `guardedTip` has the sessions layout (asked by the caller through its cat-file). */
  tipAdopted: boolean;
  /** Whether merges are judged against the guarded branch (pushes and checks of main). */
  onMain: boolean;
  sessionsDir: string;
  lockPath: string;
}

export interface WalkPlan {
  /** The commits to judge, oldest first (parents before children). */
  ids: string[];
  /** Parents a commit is judged against when that is not just its first parent (merges). */
  against: Map<string, readonly string[]>;
  /** How many judgements of commits still to come start from a commit (its state is kept until then). */
  uses: Map<string, number>;
  /** Changes of `<commit> <parent>` pairs other than first parents (for `against`). */
  diffs: Map<string, HistoryChange[]>;
  /** Commits outside the walk known to have no sessions layout (the adoption's first parent). */
  bare: Set<string>;
}

const streamOptions = (request: PlanRequest, separator: string, input?: string) => ({
  cwd: request.cwd,
  ...(request.env ? { env: request.env } : {}),
  separator,
  ...(input !== undefined ? { input } : {}),
});

/** The first positive revision of `revs` (the tip whose first-parent line is the guarded branch). */
function lineTip(revs: readonly string[]): string | undefined {
  for (const rev of revs) {
    if (rev === '--not') return undefined;
    if (!rev.startsWith('^') && !rev.startsWith('-')) return rev;
  }
  return undefined;
}

/** The oldest commit on `tip`'s first-parent line that changes the layout: the adoption. */
async function findAdoption(request: PlanRequest, tip: string): Promise<string | undefined> {
  let last: string | undefined;
  const args = ['rev-list', '--first-parent', tip, '--', request.sessionsDir, request.lockPath];
  for await (const lines of eagerRecords(args, streamOptions(request, '\n'))) {
    for (const line of lines) if (line) last = line;
  }
  return last;
}

export async function planWalk(request: PlanRequest): Promise<WalkPlan> {
  const plan: WalkPlan = { ids: [], against: new Map(), uses: new Map(), diffs: new Map(), bare: new Set() };
  let revs = [...request.revs];
  const guarded = request.tipAdopted && request.guardedTip !== undefined;
  let adoption: string | undefined;
  if (!guarded) {
    const tip = lineTip(revs);
    adoption = tip === undefined ? undefined : await findAdoption(request, tip);
    if (adoption === undefined) return plan; // the line never adopted the protocol: nothing to judge
    // Prepended: a `--not` among the caller's revs would turn it into a positive revision.
    revs = [`^${adoption}^@`, ...revs];
  }
  const parentsOf = new Map<string, string[]>();
  for await (const lines of eagerRecords(['rev-list', '--reverse', '--topo-order', '--parents', ...revs, '--'], streamOptions(request, '\n'))) {
    for (const line of lines) {
      if (!line) continue;
      const parts = line.split(' ');
      const sha = parts[0]!;
      plan.ids.push(sha);
      parentsOf.set(sha, parts.slice(1));
    }
  }
  // The adoption's first parent has no layout (that is what makes it the adoption).
  const beforeAdoption = adoption === undefined ? undefined : parentsOf.get(adoption)?.[0];
  if (beforeAdoption !== undefined) plan.bare.add(beforeAdoption);
  const inRange = (sha: string) => parentsOf.has(sha);
  // Commits of the range that descend from the old tip: on top of the guarded branch.
  const onTop = new Set<string>();
  const pairs: string[] = [];
  for (const sha of plan.ids) {
    const parents = parentsOf.get(sha)!;
    if (guarded && parents.some((p) => p === request.guardedTip || onTop.has(p))) onTop.add(sha);
    let judged: readonly string[] = parents.length > 0 ? [parents[0]!] : [];
    if (guarded && request.onMain && parents.length > 1) {
      const landed = parents.filter((p) => !inRange(p) || onTop.has(p));
      if (landed.length > 0 && !(landed.length === 1 && landed[0] === parents[0])) {
        // First parent last: the walk then keeps the commit's state by its first-parent diff.
        judged = [...landed.filter((p) => p !== parents[0]), ...landed.filter((p) => p === parents[0])];
        plan.against.set(sha, judged);
        for (const p of judged) if (p !== parents[0]) pairs.push(`${sha} ${p}`);
      }
    }
    for (const p of judged) plan.uses.set(p, (plan.uses.get(p) ?? 0) + 1);
  }
  if (pairs.length > 0) {
    const args = ['diff-tree', '--stdin', '-r', '-z', '--no-renames', '--no-abbrev', '--always', LOG_FORMAT];
    let at = 0;
    for await (const records of eagerRecords(args, streamOptions(request, '\x01', `${pairs.join('\n')}\n`))) {
      for (const record of records) {
        const commit = parseLogRecord(record);
        if (!commit) continue;
        plan.diffs.set(pairs[at++]!, commit.changes);
      }
    }
  }
  return plan;
}
