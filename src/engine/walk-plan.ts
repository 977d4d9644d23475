// What a history walk judges, decided before the first commit is read (docs/rules.md,
// "How history is judged"):
// - every commit of the range, root commits against the empty tree, EXCEPT the history
//   before the adoption: the ancestors of the adoption commit's first parent, which is found
//   once with one path-limited `git rev-list --first-parent` and excluded from the walk
//   (`^<adoption>^@`; `^<first parent>` for an adoption merge: adoption-range.ts), so that
//   git never even lists them. An adoption merge on the guarded branch is judged against
//   its first parent, as an ordinary adoption against its parent. Only needed when the
//   guarded branch's old tip has no layout yet (a first push, `check --all`, a range from
//   before the adoption): a push onto an adopted branch cannot contain an ancestor of its
//   adoption.
// - a merge, on the guarded branch, once against EACH parent that was already on it (outside
//   the range, or inside it but descending from the old tip), with that parent's sessions;
//   a merge with no such parent (and every merge off the guarded branch, and every merge of
//   `check --all` or of a first push, which have no old tip) against ANY of its parents:
//   one first (the walk takes the one whose state it keeps), and only when that finds an
//   error the others in turn (one of them was the branch it landed on; which one, nothing
//   in the history says).
// One `git rev-list --parents` gives the order and every parent; the diffs against parents
// other than the first come from one long-lived `git diff-tree --stdin` (merge-diffs.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonDirOf, gitDirOf } from '../git.ts';
import { adoptionRecord, beforeAdoption } from './adoption-range.ts';
import { LandedParents } from './landed-parents.ts';
import { eagerRecords, type Separator } from './log-stream.ts';
import { fresh } from './sessions-delta.ts';

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

/** The parents a merge is judged against, and whether each must pass or any one of them. */
export interface MergeJudgement {
  parents: readonly string[];
  /** 'each': every judgement counts; 'any': the next parent is tried only after an error. */
  mode: 'each' | 'any';
}

export interface WalkPlan {
  /** The commits to judge, oldest first (parents before children). */
  ids: string[];
  /** How merges are judged (other commits: against their only parent, or the empty tree). */
  merges: Map<string, MergeJudgement>;
  /**
   * Commits that more than one later commit of the walk starts from (children in the walk),
   * with their count; any other commit is used once (its state is kept until then).
   */
  uses: Map<string, number>;
  /** Commits outside the walk known to have no sessions layout (the adoption's first parent). */
  bare: Set<string>;
  /** What the landed parents' ancestry cost (landed-parents.ts; AGENT_SESSIONS_DEBUG=1 prints it). */
  ancestry: { steps: number; cut: number };
}

export const emptyPlan = (): WalkPlan => ({ ids: [], merges: new Map(), uses: new Map(), bare: new Set(), ancestry: { steps: 0, cut: 0 } });

const streamOptions = (request: PlanRequest, separator: Separator, input?: string) => ({
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

/**
 * The oldest commit on `tip`'s first-parent line that changes the layout: the adoption, with
 * its parents (%P: the commit's own parents, not the ones path limiting rewrites; those only
 * --parents prints).
 */
async function findAdoption(request: PlanRequest, tip: string): Promise<{ sha: string; parents: string[] } | undefined> {
  let last: string | undefined;
  const args = ['rev-list', '--first-parent', '--format=%H %P', tip, '--', request.sessionsDir, request.lockPath];
  for await (const lines of eagerRecords(args, streamOptions(request, '\n'))) {
    for (const line of lines) if (line && !line.startsWith('commit ')) last = line;
  }
  return last === undefined ? undefined : adoptionRecord(last);
}

/**
 * The walk's order, parents before children, chosen so that a side branch is walked right
 * after its fork point and main after it: built newest first (a commit once all its children
 * are placed), following first parents first. Then at a merge the model is already at the
 * first parent's state, and the side branch, which rarely changes the sessions, cost no move
 * back (git's own --topo-order walks the side branch last, and every merge then undid and
 * redid main's session changes since the fork).
 */
function walkOrder(parentsOf: ReadonlyMap<string, readonly string[]>, uses: Map<string, number>, height: ReadonlyMap<string, number>): string[] {
  const children = new Map<string, number>();
  for (const parents of parentsOf.values()) for (const p of parents) if (parentsOf.has(p)) children.set(p, (children.get(p) ?? 0) + 1);
  for (const [sha, count] of children) if (count > 1) uses.set(sha, count);
  const stack: string[] = [];
  const tips = [...parentsOf.keys()].filter((sha) => !children.has(sha));
  for (let i = tips.length - 1; i >= 0; i--) stack.push(tips[i]!);
  const out: string[] = [];
  while (stack.length > 0) {
    const sha = stack.pop()!;
    out.push(sha);
    let parents = parentsOf.get(sha)!;
    // The longer line is placed first here, so walked last: the shorter (the side branch,
    // whichever parent it is; `git pull` makes it the first) is walked right after the fork.
    if (parents.length > 1) parents = [...parents].sort((a, b) => (height.get(b) ?? 0) - (height.get(a) ?? 0));
    for (let i = parents.length - 1; i >= 0; i--) {
      const p = parents[i]!;
      const left = children.get(p);
      if (left === undefined) continue;
      if (left > 1) children.set(p, left - 1);
      else {
        children.delete(p);
        stack.push(p);
      }
    }
  }
  return out.reverse();
}

/** Each commit's longest path down to a commit outside the range (generation numbers). */
function heights(parentsOf: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const height = new Map<string, number>();
  // rev-list lists children before parents: oldest first, a commit's parents are mostly done.
  for (const start of [...parentsOf.keys()].reverse()) {
    if (height.has(start)) continue;
    const stack = [start];
    while (stack.length > 0) {
      const sha = stack[stack.length - 1]!;
      let ready = true;
      let h = 0;
      for (const p of parentsOf.get(sha)!) {
        if (!parentsOf.has(p)) continue;
        const hp = height.get(p);
        if (hp === undefined) {
          ready = false;
          stack.push(p);
        } else if (hp + 1 > h) h = hp + 1;
      }
      if (ready) {
        height.set(sha, h);
        stack.pop();
      }
    }
  }
  return height;
}

/**
 * The commits a shallow clone has without their parents (.git/shallow): excluded from the
 * walk, since what they changed is unknown; their trees are read as states outside the walk.
 */
function shallowCommits(cwd: string, env: NodeJS.ProcessEnv | undefined): string[] {
  const file = join(shallowDir(cwd, env), 'shallow');
  if (existsSync(file)) return readFileSync(file, 'utf8').split('\n').filter((line) => /^[0-9a-f]{40,64}$/.test(line));
  return [];
}

/**
 * Where git keeps `shallow`: the common git dir; `cwd` itself only when it is a bare
 * repository (no .git below it). Never a work tree: a committed file named `shallow` there
 * is whoever pushed it's, and listing a commit in it would take that commit out of the walk.
 */
export function shallowDir(cwd: string, env: NodeJS.ProcessEnv | undefined = process.env): string {
  const gitDir = commonDirOf(gitDirOf(cwd, env));
  return existsSync(gitDir) ? gitDir : cwd;
}

export async function planWalk(request: PlanRequest): Promise<WalkPlan> {
  const plan = emptyPlan();
  let revs = [...request.revs];
  const shallow = shallowCommits(request.cwd, request.env);
  revs = [...shallow.map((id) => `^${id}`), ...revs];
  const guarded = request.tipAdopted && request.guardedTip !== undefined;
  let adoption: string | undefined;
  let adoptionParents: readonly string[] = [];
  const parentsOf = new Map<string, string[]>();
  if (!guarded) {
    const tip = lineTip(revs);
    const found = tip === undefined ? undefined : await findAdoption(request, tip);
    if (found === undefined) return plan; // the line never adopted the protocol: nothing to judge
    adoption = found.sha;
    adoptionParents = found.parents;
    // The range is the tip alone when the tip is the adoption (the first push of a repository
    // that adopts the protocol with its last commit): no second rev-list for it.
    if (shallow.length === 0 && request.revs.length === 1 && request.revs[0] === tip && tip === adoption && found.parents.length < 2) parentsOf.set(adoption, found.parents);
    // Prepended: a `--not` among the caller's revs would turn it into a positive revision.
    revs = [beforeAdoption(adoption, found.parents), ...revs];
  }
  if (parentsOf.size === 0) {
    // One string per commit, shared by its own entry and its children's parent lists, and
    // copied out of rev-list's output: the plan lives as long as the walk, and ids cut from
    // that output would keep all of it (~9 MB at 100,000 commits) in the heap meanwhile.
    const canonical = new Map<string, string>();
    const one = (sha: string): string => {
      let id = canonical.get(sha);
      if (id === undefined) canonical.set((id = fresh(sha)), id);
      return id;
    };
    for await (const lines of eagerRecords(['rev-list', '--parents', ...revs, '--'], streamOptions(request, '\n'))) {
      for (const line of lines) {
        if (!line) continue;
        const parts = line.split(' ');
        parentsOf.set(one(parts[0]!), parts.slice(1).map(one));
      }
    }
  }
  const height = heights(parentsOf);
  plan.ids = walkOrder(parentsOf, plan.uses, height);
  const landedParents = new LandedParents(parentsOf, height, guarded ? request.guardedTip : undefined);
  plan.ancestry = landedParents.stats;
  // The adoption's first parent has no layout (that is what makes it the adoption).
  if (adoptionParents[0] !== undefined) plan.bare.add(adoptionParents[0]);
  const inRange = (sha: string) => parentsOf.has(sha);
  // Commits of the range that descend from the old tip: on top of the guarded branch.
  const onTop = new Set<string>();
  for (const sha of plan.ids) {
    const parents = parentsOf.get(sha)!;
    if (guarded && parents.some((p) => p === request.guardedTip || onTop.has(p))) onTop.add(sha);
    if (parents.length > 1) {
      const landed = landedParents.withoutAncestors(guarded && request.onMain ? parents.filter((p) => !inRange(p) || onTop.has(p)) : []);
      let judgement: MergeJudgement = landed.length > 0 ? { parents: landed, mode: 'each' } : { parents, mode: 'any' };
      // An adoption merge on the guarded branch lands on its first parent, the line that had
      // no layout: what it brings must be legal there, as an ordinary adoption is.
      if (sha === adoption && request.onMain) judgement = { parents: [parents[0]!], mode: 'each' };
      plan.merges.set(sha, judgement);
    }
  }
  return plan;
}
