// The refs hub mode (docs/hosting.md, "Hub modes"): the hub's main is only READ. A claim is
// the ref refs/agent-sessions/claims/<slug>, pushed with a create-only lease
// (`--force-with-lease=<ref>:` with nothing after the colon: "must not exist yet"), atomically
// with the session branch: the hub's ref transaction lets exactly one agent create it. The
// claim ref points at the claim commit (planned -> active, built on main as fetched); after
// `complete` it points at the completion commit of the pull-request branch. A session is
// active when main has it planned and a claim ref names it; once the pull request is merged,
// main says completed and the claim ref is a leftover that every reader ignores.
// One fetch brings main and every claim ref (pruned): no process per session.
import type { Config } from '../config.ts';
import { GitError, RefusedError } from '../errors.ts';
import { readRefFile } from '../git.ts';
import { classifyHubFailure } from '../remote.ts';
import { hubRefusal } from './hub-refusal.ts';
import { backoffDelay, prePushProblems, remoteMainRef, type HubBuild, type HubTarget } from './transaction.ts';

export const CLAIMS_NAMESPACE = 'refs/agent-sessions/claims/';

/** The claim ref of `slug` on the hub. */
export function claimRef(slug: string): string {
  return `${CLAIMS_NAMESPACE}${slug}`;
}

/** Where this checkout keeps its copy of the hub's claim refs (never a branch, never pushed). */
export function trackedClaims(remote: string): string {
  return `refs/agent-sessions/hub/${remote}/claims/`;
}

/** The branch a completion is offered on, for a pull request into main. */
export function completionBranch(slug: string): string {
  return `agent-sessions/complete/${slug}`;
}

export interface HubClaims {
  main: string;
  /** slug -> the commit its claim ref names. */
  claims: Map<string, string>;
}

export function isRefsMode(config: Pick<Config, 'git'>): boolean {
  return config.git.hubMode === 'refs';
}

/** ONE fetch of main and of every claim ref (deleted ones pruned), then one for-each-ref. */
export async function fetchHubClaims(target: HubTarget): Promise<HubClaims> {
  const dst = remoteMainRef(target);
  const local = trackedClaims(target.remote);
  try {
    await target.git.run([
      '-c', 'maintenance.auto=false', '-c', 'gc.auto=0',
      'fetch', '-q', '--prune', '--no-tags', '--no-write-fetch-head', '--no-recurse-submodules', target.remote,
      `+refs/heads/${target.mainBranch}:${dst}`, `+${CLAIMS_NAMESPACE}*:${local}*`,
    ]);
  } catch (err) {
    const known = err instanceof GitError ? classifyHubFailure(err.stderr, target.remote, target.mainBranch) : undefined;
    if (known) throw new RefusedError(known.code, known.message, { fix: known.fix });
    const detail = err instanceof GitError ? err.stderr.trim().split('\n').slice(-2).join(' / ') : String(err);
    throw new RefusedError('hub-unreachable', `cannot fetch ${target.mainBranch} and the claim refs from the hub "${target.remote}": ${detail}`, {
      fix: `check \`git remote get-url ${target.remote}\` and that the hub is reachable, then run the command again`,
    });
  }
  const main = readRefFile(target.git.cwd, dst) ?? (await target.git.run(['rev-parse', '--verify', `${dst}^{commit}`])).stdout.trim();
  return { main, claims: await readTrackedClaims(target) };
}

/** The claim refs as last fetched (no hub call). */
export async function readTrackedClaims(target: Pick<HubTarget, 'git' | 'remote'>): Promise<Map<string, string>> {
  const local = trackedClaims(target.remote);
  const out = await target.git.run(['for-each-ref', '--format=%(objectname) %(refname)', local]);
  const claims = new Map<string, string>();
  for (const line of out.stdout.split('\n')) {
    const [sha, ref] = line.split(' ');
    if (sha && ref?.startsWith(local)) claims.set(ref.slice(local.length), sha);
  }
  return claims;
}

/** A ref to set on the hub only if it still holds `expect` ('' = must not exist). */
export interface LeasedRef {
  ref: string;
  sha: string;
  expect: string;
}

export interface RefsBuild<T> {
  /** The commit judged with the pre-push rules as if it were main's next commit. */
  judge?: { commit: string; main: string; base?: HubBuild<T>['base'] };
  refs: LeasedRef[];
  value: T;
}

export type RefsOutcome = { ok: true } | { ok: false; race: boolean; ref?: string; detail: string };

/** One atomic push of leased refs. A refused lease (or ref lock) is a lost race. */
export async function pushLeased(target: HubTarget, refs: readonly LeasedRef[], judged?: string): Promise<RefsOutcome> {
  const leases = refs.map((r) => `--force-with-lease=${r.ref}:${r.expect}`);
  const specs = refs.map((r) => `${r.sha}:${r.ref}`);
  const env = judged ? { ...process.env, AGENT_SESSIONS_PUSH_JUDGED: judged } : undefined;
  const result = await target.git.run(['push', '--atomic', '--porcelain', ...leases, target.remote, ...specs], { okCodes: [1, 128], ...(env ? { env } : {}) });
  if (result.status === 0) return { ok: true };
  const rejected = result.stdout.split('\n').filter((l) => l.startsWith('!'));
  const reasonOf = (line: string) => line.split('\t')[2] ?? '';
  const real = rejected.filter((l) => !/atomic (push|transaction) failed/.test(reasonOf(l)));
  const detail = [...rejected, ...result.stderr.split('\n')].map((l) => l.trim()).filter((l) => l && !/^(To |Done$|hint:|error: failed to push some refs)/.test(l)).slice(-8).join(' / ');
  if (real.some((l) => /hook declined/.test(reasonOf(l)))) return { ok: false, race: false, detail };
  // The first ref is the one raced for (the claim ref): a lease refused there is a lost race;
  // another ref refused alone (a stray session branch) is no race, retrying cannot help.
  const first = refs[0]!.ref;
  const onFirst = real.some((l) => l.includes(`:${first}\t`));
  if (onFirst || (rejected.length > 0 && real.length === 0 && /stale info|cannot lock ref|incorrect old value|failed to update ref/.test(result.stderr))) return { ok: false, race: true, detail };
  const other = real[0]?.split('\t')[1]?.split(':')[1];
  return { ok: false, race: false, ...(other ? { ref: other } : {}), detail };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * fetch (main + claims), build, push the leased refs; on a lost race fetch again and rebuild
 * (build() then sees the winner's claim and throws LostRaceError or chooses another session).
 */
export async function runRefsTransaction<T>(
  target: HubTarget,
  build: (hub: HubClaims, attempt: number) => Promise<RefsBuild<T> | { done: true; value: T }>,
): Promise<{ value: T; hub: HubClaims; attempts: number; pushed: boolean }> {
  let lastDetail = '';
  for (let attempt = 1; attempt <= target.retry.maxAttempts; attempt++) {
    const started = Date.now();
    const hub = await fetchHubClaims(target);
    const built = await build(hub, attempt);
    if ('done' in built) return { value: built.value, hub, attempts: attempt, pushed: false };
    if (built.judge) {
      const problems = await prePushProblems(target, built.judge.commit, built.judge.main, built.judge.base);
      if (problems) {
        throw new RefusedError('pre-push-refused', `the pre-push rules, run here on the commit built for the hub, refuse it (nothing was pushed): ${problems}`, {
          fix: 'this is a judgement of the commit this command built, not of the hub: correct what the rule names, then run the command again',
          data: { detail: problems },
        });
      }
    }
    const pushed = await pushLeased(target, built.refs, built.judge?.commit);
    if (pushed.ok) return { value: built.value, hub, attempts: attempt, pushed: true };
    if (!pushed.race) throw hubRefusal(target, pushed, 'no claim ref changed');
    lastDetail = pushed.detail;
    if (attempt < target.retry.maxAttempts) await sleep(backoffDelay(attempt - 1, target.retry, Math.random, Date.now() - started));
  }
  throw new RefusedError('too-many-attempts', `the hub's claim refs kept changing: ${target.retry.maxAttempts} attempts failed (${lastDetail})`, {
    fix: 'run the command again, or raise claim.maxAttempts in the config',
  });
}
