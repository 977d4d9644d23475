// Which of a merge's landed parents (already on the guarded branch) it is judged against:
// all of them but those that are ancestors of another (docs/rules.md, "How history is
// judged"). A pull request merged with a merge commit into a `main` that has not moved:
// main's old tip is an ancestor of the pull request's tip. Dropping one loses nothing: the
// merge's change against it is the change of the commits between it and the other parent,
// each judged on its own in the range, plus the merge's change against that other parent,
// which is still judged. When unsure (the walk back is cut short), a parent is kept: the
// merge is then judged against it too (more, never less).
//
// The cost is bounded by the range, never by parents x history: one walk back per merge
// from all its landed parents at once (not one per parent: an octopus of 5,000 parents on
// a history of 5,000 commits cost 25 million steps per merge, paid before anything was
// judged), cut below the lowest of them by generation numbers, and one step budget for the
// whole plan, proportional to the range's parent links.

/** Steps every plan may take, whatever its size. */
const BUDGET_FLOOR = 1_000_000;
/** And per parent link of the range (a commit's link to each of its parents). */
const BUDGET_PER_LINK = 16;

export class LandedParents {
  private left: number;
  /** Parent links followed, and merges whose walk the budget cut short (AGENT_SESSIONS_DEBUG=1 prints them). */
  readonly stats = { steps: 0, cut: 0 };

  /**
   * `parentsOf`: the range's commits and their parents; `height`: each one's longest path
   * down to a commit outside the range; `guardedTip`: the branch's old tip (outside the
   * range), which every landed parent in the range descends from (that is what landed means
   * for a commit of the range).
   */
  constructor(
    private readonly parentsOf: ReadonlyMap<string, readonly string[]>,
    private readonly height: ReadonlyMap<string, number>,
    private readonly guardedTip: string | undefined,
  ) {
    let links = 0;
    for (const parents of parentsOf.values()) links += parents.length;
    this.left = BUDGET_FLOOR + BUDGET_PER_LINK * links;
  }

  /** `landed` without the parents that are ancestors of another landed parent in the range. */
  withoutAncestors(landed: readonly string[]): readonly string[] {
    if (landed.length < 2) return landed;
    const starts = landed.filter((p) => this.parentsOf.has(p));
    if (starts.length === 0) return landed; // only a parent in the range is walked back from
    const dropped = new Set<string>();
    // The old tip: below every landed parent of the range, known without a walk.
    if (this.guardedTip !== undefined && landed.includes(this.guardedTip)) dropped.add(this.guardedTip);
    const targets = new Set(landed.filter((p) => !dropped.has(p)));
    if (targets.size > 1) this.walkBack(starts, targets, dropped);
    const kept = landed.filter((p) => !dropped.has(p));
    return kept.length > 0 ? kept : landed;
  }

  /**
   * Adds to `dropped` the targets reached from `starts` through at least one parent link.
   * A commit lower than every target cannot lead to one (when all are in the range: one
   * outside it is reached from any height); the walk ends when all targets but one are
   * reached (the last one is the highest), or when the budget ends (what it found holds).
   */
  private walkBack(starts: readonly string[], targets: ReadonlySet<string>, dropped: Set<string>): void {
    let floor = Infinity;
    for (const t of targets) floor = Math.min(floor, this.parentsOf.has(t) ? (this.height.get(t) ?? 0) : -1);
    const seen = new Set<string>(starts);
    const stack = [...starts];
    let reached = 0;
    while (stack.length > 0) {
      for (const p of this.parentsOf.get(stack.pop()!) ?? []) {
        if (this.left-- <= 0) {
          this.stats.cut++;
          return;
        }
        this.stats.steps++;
        if (targets.has(p) && !dropped.has(p)) {
          dropped.add(p);
          if (++reached >= targets.size - 1) return;
        }
        if (seen.has(p)) continue;
        seen.add(p);
        if (this.parentsOf.has(p) && (this.height.get(p) ?? 0) > floor) stack.push(p);
      }
    }
  }
}
