// The hub's own judgement of lock times, with facts only the hub has: its clock and its
// session branches as they are before the push. The protected-state rule judges a take-over
// by the commit alone (both files rewritten, a claim time at least stale.lockAgeHours newer);
// here the hub also refuses a take-over of a session that is not stale by the hub's branches
// (its holder is still pushing), the check `claim --take-over` makes before it pushes, and
// any claim time set in the future (a line dated ahead never becomes stale).
import type { Config } from '../config.ts';
import { gitSync } from '../git.ts';
import { parseLockFile, type LockEntry } from '../lockfile.ts';
import { formatUtc, stalenessOf } from '../stale.ts';
import type { RefProblem } from './hub-refs.ts';

/** Clock skew tolerated between a pusher and the hub. */
export const FUTURE_SLACK_SECONDS = 3600;

/** The lock file's blob id at each rev (undefined where absent), in one git call. */
function lockIds(cwd: string, revs: readonly string[], path: string): (string | undefined)[] {
  const out = gitSync(['cat-file', '--batch-check=%(objectname)'], { cwd, input: revs.map((rev) => `${rev}:${path}\n`).join('') }).split('\n');
  return revs.map((_, i) => (/^[0-9a-f]{40,64}$/.test(out[i] ?? '') ? out[i] : undefined));
}

function entries(cwd: string, id: string | undefined): LockEntry[] | undefined {
  if (id === undefined) return [];
  try {
    return parseLockFile(gitSync(['cat-file', 'blob', id], { cwd }));
  } catch {
    return undefined; // unparseable: lifecycle's finding
  }
}

/** slug -> committer time of the hub's session branch tip, as it is before this push. */
function branchTimes(cwd: string, config: Config): Map<string, number> {
  const prefix = `refs/heads/${config.git.branchPrefix}`;
  const out = new Map<string, number>();
  for (const line of gitSync(['for-each-ref', '--format=%(refname)%09%(committerdate:unix)', prefix], { cwd }).split('\n')) {
    const [ref, time] = line.split('\t');
    if (ref?.startsWith(prefix) && time) out.set(ref.slice(prefix.length), Number(time));
  }
  return out;
}

/**
 * Problems with the lock times an update of the guarded branch from `oldId` to `newId`
 * brings, judged at `nowSeconds` by the hub's clock. Costs one git call when the lock file
 * did not change.
 */
export function lockTimeProblems(cwd: string, config: Config, oldId: string | undefined, newId: string, nowSeconds: number): RefProblem[] {
  const path = config.paths.lockFile;
  const [after, before] = lockIds(cwd, oldId ? [newId, oldId] : [newId], path);
  if (oldId && before === after) return [];
  const old = entries(cwd, before);
  const now = entries(cwd, after);
  if (!old || !now) return [];
  const oldBySlug = new Map(old.map((e) => [e.slug, e]));
  const problems: RefProblem[] = [];
  let times: Map<string, number> | undefined;
  for (const entry of now) {
    const previous = oldBySlug.get(entry.slug);
    if (previous && previous.claimedAt === entry.claimedAt) continue;
    if (entry.claimedAt > nowSeconds + FUTURE_SLACK_SECONDS) {
      problems.push({
        message: `the lock line of ${entry.slug} is dated ${formatUtc(entry.claimedAt)}, in the future by the hub's clock (${formatUtc(nowSeconds)})`,
        fix: `claim with \`agent-sessions claim ${entry.slug}\`, which writes the time of the claim; check the pushing machine's clock`,
      });
      continue;
    }
    if (!previous) continue;
    times ??= branchTimes(cwd, config);
    const staleness = stalenessOf(previous.claimedAt, times.get(entry.slug), config, nowSeconds);
    if (!staleness.stale) {
      problems.push({
        message: `take-over of ${entry.slug} refused: on the hub it is not stale (claimed ${formatUtc(previous.claimedAt)}, last activity on ${config.git.branchPrefix}${entry.slug} ${formatUtc(staleness.lastActivity)})`,
        fix: `it becomes stale at ${formatUtc(staleness.staleAt)} if nothing new reaches ${config.git.branchPrefix}${entry.slug}; until then ask its holder, or take another session (agent-sessions next --claim)`,
      });
    }
  }
  return problems;
}
