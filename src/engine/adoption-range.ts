// Where the history before the adoption ends (docs/rules.md, "How history is judged"): shared
// by planWalk and by the git process `check --all` starts before the CLI has loaded
// (check-early.ts), which must ask for the very same revisions to be taken by the walk.

/** One line of the adoption search (`rev-list --first-parent --format='%H %P'`): a commit and its parents. */
export function adoptionRecord(line: string): { sha: string; parents: string[] } | undefined {
  const [sha, ...parents] = line.trim().split(' ');
  return sha && /^[0-9a-f]{40,64}$/.test(sha) ? { sha, parents: parents.filter(Boolean) } : undefined;
}

/**
 * The revision that leaves the history before the adoption out of the walk: the ancestors of
 * its FIRST parent, the line that had no layout. An ordinary adoption's `^<adoption>^@` (its
 * only parent; nothing for a root). Never all of a merge's parents: what its other parents
 * bring onto the line (their history not already on it) is walked and judged like any other
 * commits, or a merge of a root and a forbidden commit would land that commit unjudged.
 */
export const beforeAdoption = (adoption: string, parents: readonly string[]): string => (parents.length < 2 ? `^${adoption}^@` : `^${parents[0]}`);
