// Stale claims: an active session whose lock line is older than `stale.lockAgeHours` AND whose
// `session/<slug>` branch on the hub has had no new commit for `stale.idleHours`. The branch
// times come from the remote-tracking refs in ONE for-each-ref call (as fresh as the last
// fetch), and only when some lock line is old enough to matter: status stays fast.
import type { Config } from './config.ts';
import { gitSync } from './git.ts';

export interface Staleness {
  stale: boolean;
  /** Unix seconds of the last sign of life: the newest commit on the hub branch, else the claim. */
  lastActivity: number;
  /** Unix seconds at which the session is (or will be) stale if nothing new is pushed. */
  staleAt: number;
  /** Whether the hub branch was seen at all (remote-tracking ref). */
  branchSeen: boolean;
}

/** Pure: the staleness of one claim, given its hub branch's newest commit time (if any). */
export function stalenessOf(claimedAt: number, branchTime: number | undefined, config: Config, nowSeconds: number): Staleness {
  const lastActivity = Math.max(claimedAt, branchTime ?? 0);
  const staleAt = Math.max(claimedAt + config.stale.lockAgeHours * 3600, lastActivity + config.stale.idleHours * 3600);
  return { stale: nowSeconds >= staleAt, lastActivity, staleAt, branchSeen: branchTime !== undefined };
}

/** Whether any claim is old enough that its branch needs looking at. */
export function anyOldClaim(claims: Iterable<number>, config: Config, nowSeconds: number): boolean {
  for (const claimedAt of claims) if (nowSeconds - claimedAt >= config.stale.lockAgeHours * 3600) return true;
  return false;
}

/** slug -> committer time (unix seconds) of `<remote>/<prefix><slug>`, in one git call. */
export function hubBranchTimes(root: string, config: Config): Map<string, number> {
  const prefix = `refs/remotes/${config.git.remote}/${config.git.branchPrefix}`;
  const out = new Map<string, number>();
  let text = '';
  try {
    text = gitSync(['for-each-ref', '--format=%(refname)%09%(committerdate:unix)', prefix], { cwd: root });
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const [ref, time] = line.split('\t');
    if (!ref || !time || !ref.startsWith(prefix)) continue;
    out.set(ref.slice(prefix.length), Number(time));
  }
  return out;
}

/**
 * Brings the remote-tracking refs of every session branch up to date with the hub (one
 * fetch, bounded in time), so that a "stale" verdict is the one `claim --take-over` will
 * reach: take-over fetches the branch before it decides, and a status that judged from an
 * old (or never fetched) branch would call stale a session whose holder is still pushing.
 * Best effort: without a remote, offline or after the timeout, the local view stands.
 */
export function refreshHubBranches(root: string, config: Config, timeoutMs = 15_000): boolean {
  const { remote, branchPrefix } = config.git;
  try {
    if (!gitSync(['config', '--get', `remote.${remote}.url`], { cwd: root }).trim()) return false;
    gitSync(['fetch', '--quiet', '--no-tags', '--prune', '--no-write-fetch-head', remote, `+refs/heads/${branchPrefix}*:refs/remotes/${remote}/${branchPrefix}*`], { cwd: root, timeoutMs });
    return true;
  } catch {
    return false;
  }
}

export function formatUtc(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
