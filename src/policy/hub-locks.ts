// The hub's own judgement of lock times, with facts only the hub has: its clock and its
// session branches as they are before the push. The protected-state rule judges a take-over
// by the commit alone (both files rewritten, a claim time at least stale.lockAgeHours newer);
// here the hub also refuses a take-over of a session that is not stale by the hub's branches
// (its holder is still pushing), the check `claim --take-over` makes before it pushes, and
// any claim time set in the future (a line dated ahead never becomes stale).
import { spawnSync } from 'node:child_process';
import type { Config } from '../config.ts';
import { GitError } from '../errors.ts';
import { gitRun, gitSync } from '../git.ts';
import { parseLockFile, type LockEntry } from '../lockfile.ts';
import { formatUtc, stalenessOf } from '../stale.ts';
import type { RefProblem } from './hub-refs.ts';
import { objectReadAhead } from './read-ahead.ts';

/** Clock skew tolerated between a pusher and the hub. */
export const FUTURE_SLACK_SECONDS = 3600;

/**
 * The lock file at each rev: its blob id and content (undefined where absent), from ONE
 * `cat-file --batch` (the hook's first push was paying a batch-check and a `cat-file blob`).
 */
function lockFiles(cwd: string, revs: readonly string[], path: string): ({ id: string; text: string | undefined } | undefined)[] {
  // Read ahead by the first push's pre-receive (src/policy/read-ahead.ts): the same answers.
  const ahead = revs.map((rev) => objectReadAhead(cwd, `${rev}:${path}`));
  if (ahead.every((object) => object !== undefined)) {
    return ahead.map((object) => (object ? { id: object.id, text: object.type === 'blob' ? object.content.toString('utf8') : undefined } : undefined));
  }
  const result = spawnSync('git', ['cat-file', '--batch'], { cwd, env: process.env, input: revs.map((rev) => `${rev}:${path}\n`).join(''), maxBuffer: 256 * 1024 * 1024 });
  if (result.error || result.status !== 0) throw new GitError(['cat-file', '--batch'], result.status, result.error?.message ?? result.stderr.toString('utf8'));
  const out = result.stdout;
  let at = 0;
  return revs.map(() => {
    const newline = out.indexOf(10, at);
    if (newline === -1) return undefined;
    const [id, type, size] = out.toString('latin1', at, newline).split(' ');
    at = newline + 1;
    if (size === undefined || !/^[0-9a-f]{40,64}$/.test(id ?? '')) return undefined; // "<name> missing"
    const end = at + Number(size);
    const text = out.toString('utf8', at, end);
    at = end + 1;
    return { id: id!, text: type === 'blob' ? text : undefined }; // not a file: unreadable, as `cat-file blob` found it
  });
}

function entries(file: { text: string | undefined } | undefined): LockEntry[] | undefined {
  if (file === undefined) return [];
  if (file.text === undefined) return undefined;
  try {
    return parseLockFile(file.text);
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

/** branchTimes, read on first use only (most pushes take nothing over). */
function lazyBranchTimes(cwd: string, config: Config): () => Map<string, number> {
  let times: Map<string, number> | undefined;
  return () => (times ??= branchTimes(cwd, config));
}

/**
 * Problems with the lock times an update of the guarded branch from `oldId` to `newId`
 * brings, judged at `nowSeconds` by the hub's clock. One git call for both lock files.
 */
export function lockTimeProblems(cwd: string, config: Config, oldId: string | undefined, newId: string, nowSeconds: number): RefProblem[] {
  const path = config.paths.lockFile;
  const [after, before] = lockFiles(cwd, oldId ? [newId, oldId] : [newId], path);
  if (oldId && before?.id === after?.id) return [];
  const old = entries(before);
  const now = entries(after);
  if (!old || !now) return [];
  return judgeLines(now, [old], config, nowSeconds, lazyBranchTimes(cwd, config));
}

/**
 * The lock lines of one state against the states it comes from (its parents): a line none of
 * them has with the same claim time is new here; dated ahead, or taking a line over from a
 * parent whose session is not stale on the hub, it is refused.
 */
function judgeLines(now: readonly LockEntry[], parents: readonly (readonly LockEntry[])[], config: Config, nowSeconds: number, timesOf: () => Map<string, number>): RefProblem[] {
  const problems: RefProblem[] = [];
  for (const entry of now) {
    const previous = parents.map((lines) => lines.find((e) => e.slug === entry.slug)).filter((e): e is LockEntry => e !== undefined);
    if (previous.some((e) => e.claimedAt === entry.claimedAt)) continue;
    if (entry.claimedAt > nowSeconds + FUTURE_SLACK_SECONDS) {
      problems.push({
        message: `the lock line of ${entry.slug} is dated ${formatUtc(entry.claimedAt)}, in the future by the hub's clock (${formatUtc(nowSeconds)})`,
        fix: `claim with \`agent-sessions claim ${entry.slug}\`, which writes the time of the claim; check the pushing machine's clock`,
      });
      continue;
    }
    if (previous.length === 0) continue;
    const staleness = stalenessOf(previous[0]!.claimedAt, timesOf().get(entry.slug), config, nowSeconds);
    if (!staleness.stale) {
      problems.push({
        message: `take-over of ${entry.slug} refused: on the hub it is not stale (claimed ${formatUtc(previous[0]!.claimedAt)}, last activity on ${config.git.branchPrefix}${entry.slug} ${formatUtc(staleness.lastActivity)})`,
        fix: `it becomes stale at ${formatUtc(staleness.staleAt)} if nothing new reaches ${config.git.branchPrefix}${entry.slug}; until then ask its holder, or take another session (agent-sessions next --claim)`,
      });
    }
  }
  return problems;
}

/**
 * lockTimeProblems for every commit of `oldId..newId` that writes the lock file, each against
 * its own parents: a take-over released again in the same push (taken over, then completed)
 * leaves no line in the last lock file, yet it was a take-over by force. ONE `git log` with
 * the lock file as pathspec, one `cat-file --batch` for those commits' and parents' lock files.
 */
export function rangeLockTimeProblems(cwd: string, config: Config, oldId: string | undefined, newId: string, nowSeconds: number, alsoOn: readonly string[] = []): RefProblem[] {
  if (!oldId) return lockTimeProblems(cwd, config, oldId, newId, nowSeconds);
  return lockWriteProblems(cwd, config, gitSync(lockWritesArgs(config, oldId, newId, alsoOn), { cwd }), nowSeconds);
}

/**
 * rangeLockTimeProblems with its `git log` run beside the caller's work: on a range of wide
 * merges that log alone takes seconds (git diffs each merge against every parent), so the hub
 * runs it while its walk judges the commits, and kills it (`signal`) when the walk refuses.
 */
export async function rangeLockTimeProblemsBeside(cwd: string, config: Config, oldId: string | undefined, newId: string, nowSeconds: number, signal: AbortSignal): Promise<RefProblem[]> {
  if (!oldId) return lockTimeProblems(cwd, config, oldId, newId, nowSeconds);
  const log = await gitRun(lockWritesArgs(config, oldId, newId, []), { cwd, signal });
  return lockWriteProblems(cwd, config, log.stdout, nowSeconds);
}

/** The commits of `oldId..newId` (and not on `alsoOn`) that write the lock file, with their parents. */
const lockWritesArgs = (config: Config, oldId: string, newId: string, alsoOn: readonly string[]): string[] => [
  'log', '--full-history', '--format=%H %P', newId, ...[oldId, ...alsoOn].map((id) => `^${id}`), '--', `:(literal)${config.paths.lockFile}`,
];

function lockWriteProblems(cwd: string, config: Config, log: string, nowSeconds: number): RefProblem[] {
  const commits = log.split('\n').filter(Boolean).map((line) => line.split(' '));
  if (commits.length === 0) return [];
  const files = lockFiles(cwd, commits.flat(), config.paths.lockFile);
  const problems: RefProblem[] = [];
  const seen = new Set<string>();
  const timesOf = lazyBranchTimes(cwd, config);
  let at = 0;
  for (const ids of commits) {
    const [now, ...parents] = ids.map(() => entries(files[at++]));
    if (!now || parents.some((p) => p === undefined)) continue; // unparseable: lifecycle's finding
    for (const problem of judgeLines(now, parents as LockEntry[][], config, nowSeconds, timesOf)) {
      if (!seen.has(problem.message)) problems.push(problem);
      seen.add(problem.message);
    }
  }
  return problems;
}
