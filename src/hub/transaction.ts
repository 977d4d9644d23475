// The push is the lock. One transition = one commit built on the hub's main as just fetched,
// pushed so that the hub accepts it only if main has not moved (a non-fast-forward push is
// refused: that refusal is the compare-and-swap). On refusal: fetch, rebuild FROM SCRATCH
// on the new main, try again after a jittered, bounded backoff. Never `pull --rebase`: it
// drops a claim commit identical to one already on main as "already applied", and the next
// push says "Everything up-to-date" with exit 0, a false win. Never force.
import type { Config } from '../config.ts';
import type { RepoContext } from '../context.ts';
import { GitError, RefusedError } from '../errors.ts';
import { appendFileSync } from 'node:fs';
import type { BlobReader } from '../engine/blob-reader.ts';
import type { ListedEntry } from '../engine/facts-history.ts';
import { readRefFile, type Git } from '../git.ts';
import { classifyHubFailure } from '../remote.ts';
import { hubRefusal } from './hub-refusal.ts';
import { hubReportsMain, onlyOurPrePush } from './push-shortcuts.ts';

export interface HubRef {
  /** Full ref name on the hub, e.g. refs/heads/session/<slug>. */
  ref: string;
  /** The sha to put there; undefined deletes the ref. */
  sha: string | undefined;
}

export interface HubBuild<T> {
  /** The new commit for the hub's main: ONE commit whose parent is the main given to build(). */
  commit: string;
  /** Other refs pushed in the same atomic push (e.g. the new session branch). */
  refs?: HubRef[];
  /**
   * The sessions folder and lock file of main as listed for the build (`ls-tree -r`), if the
   * build made that listing: the pre-push judgement starts from it instead of listing again.
   */
  base?: readonly ListedEntry[];
  /** What the caller wants back once the push is accepted. */
  value: T;
  /**
   * True when this was the build's only choice (claim of one slug, or `next --claim` with one
   * candidate left): a lost race most likely took it, so the next attempt fetches at once
   * instead of backing off, and finds out now (exit 3) rather than after the backoff. Only
   * one attempt in a row skips the backoff, so a main that keeps moving still spreads us out.
   */
  onlyChoice?: boolean;
  /**
   * How many other choices were still open in this build's view (`next --claim`: the other
   * fitting candidates still planned). After a lost race the backoff then waits at most that
   * many attempt lengths: by then those are likely taken too, and an agent still asleep only
   * learns late that none is left (the last exits of a race came seconds after its last claim).
   */
  othersLeft?: number;
}

/** build() returns this when the hub already holds the change (a resumed command). */
export interface HubAlreadyDone<T> {
  done: true;
  value: T;
}

export interface HubTransactionResult<T> {
  value: T;
  /** The hub's main after the transaction. */
  main: string;
  /** Our commit, or undefined when the hub already had the change. */
  commit?: string;
  attempts: number;
}

export interface HubTarget {
  git: Git;
  remote: string;
  mainBranch: string;
  retry: Config['claim'];
  /** When set, the pushed main commit is judged in this process with the pre-push rules. */
  config?: Config;
  /** A blob reader the caller keeps open for the whole command (one cat-file process). */
  blobs?: BlobReader;
}

const RACE_SIGNS = [/fetch first/, /non-fast-forward/, /cannot lock ref/, /stale info/, /failed to update ref/, /expected/, /incorrect old value/, /failed to lock/, /already exists/];

/** The hub of a repository, as its config names it; the pushed commit judged with its rules. */
export function hubTarget(ctx: RepoContext): HubTarget {
  return { git: ctx.git, remote: ctx.config.git.remote, mainBranch: ctx.config.git.mainBranch, retry: ctx.config.claim, config: ctx.config };
}

export function remoteMainRef(target: HubTarget): string {
  return `refs/remotes/${target.remote}/${target.mainBranch}`;
}

/** Fetches the hub's main into refs/remotes/<remote>/<main>; returns its sha. */
export async function fetchHubMain(target: HubTarget): Promise<string> {
  const dst = remoteMainRef(target);
  try {
    await target.git.run(['-c', 'maintenance.auto=false', '-c', 'gc.auto=0', 'fetch', '-q', '--no-tags', '--no-write-fetch-head', '--no-recurse-submodules', target.remote, `+refs/heads/${target.mainBranch}:${dst}`]);
  } catch (err) {
    throw hubUnreachable(target, err);
  }
  // git leaves the ref it just wrote loose: read it without another process.
  const loose = readRefFile(target.git.cwd, dst);
  return loose ?? (await target.git.run(['rev-parse', '--verify', `${dst}^{commit}`])).stdout.trim();
}

function hubUnreachable(target: HubTarget, err: unknown): RefusedError {
  const known = err instanceof GitError ? classifyHubFailure(err.stderr, target.remote, target.mainBranch) : undefined;
  if (known) return new RefusedError(known.code, known.message, { fix: known.fix });
  const detail = err instanceof GitError ? err.stderr.trim().split('\n').slice(-2).join(' / ') : String(err);
  return new RefusedError('hub-unreachable', `cannot fetch ${target.mainBranch} from the hub "${target.remote}": ${detail}`, {
    fix: `check \`git remote get-url ${target.remote}\` and that the hub is reachable, then run the command again`,
  });
}

export type PushOutcome =
  /** `confirmed`: git's porcelain report says the hub's main now is this commit. */
  | { ok: true; confirmed: boolean }
  /** `local`: our own pre-push judgement refused it, nothing was sent. `ref`: the hub refused
   * only this other ref (not main): no race on main, retrying cannot help. */
  | { ok: false; race: boolean; detail: string; local?: boolean; ref?: string };

/**
 * The pre-push rules, run here on the commit we built, so that the push need not start the
 * pre-push hook's Node process on every attempt (in a 16-agent race that start-up was half
 * of the wall time). Same rules, same code path as the hook; the commit is judged once.
 */
const judged = new Map<string, string | undefined>();
export async function prePushProblems(target: HubTarget, commit: string, main: string, base: readonly ListedEntry[] | undefined): Promise<string | undefined> {
  if (!target.config) return undefined;
  if (judged.has(commit)) return judged.get(commit);
  const { judgeHistory } = await import('../check/history.ts');
  const result = await judgeHistory({
    cwd: target.git.cwd,
    config: target.config,
    runPoint: 'pre-push',
    revs: [commit, '--not', `--remotes=${target.remote}`],
    // The one commit built on the fetched main (a HubBuild's contract): no rev-list needed.
    commits: [commit],
    ...(base ? { base: { rev: main, entries: base } } : {}),
    ...(target.blobs ? { blobs: target.blobs } : {}),
    onMain: true,
    limit: 20,
  });
  const errors = result.violations.filter((v) => v.severity === 'error');
  const problems = errors.length ? errors.map((v) => `${v.rule}: ${v.message} (fix: ${v.fix})`).join(' / ') : undefined;
  judged.set(commit, problems);
  return problems;
}

/** One atomic push of main (and extra refs). Tells a lost race from any other refusal. */
export async function pushAtomic(target: HubTarget, main: string, built: HubBuild<unknown>): Promise<PushOutcome> {
  const { commit, refs = [] } = built;
  const judging = Date.now();
  const problems = await prePushProblems(target, commit, main, built.base);
  trace(`judged ${Date.now() - judging}ms`);
  if (problems) return { ok: false, race: false, local: true, detail: problems };
  const specs = [`${commit}:refs/heads/${target.mainBranch}`, ...refs.map((r) => (r.sha ? `${r.sha}:${r.ref}` : `:${r.ref}`))];
  // Tells our own pre-push shim (hooks/run.sh) that this exact commit was judged above;
  // any other pre-push commands in .husky/pre-push still run.
  const env = target.config ? { ...process.env, AGENT_SESSIONS_PUSH_JUDGED: commit } : undefined;
  // When the pre-push hook would run nothing but that line, skip hooks altogether (push-shortcuts.ts).
  const noVerify = target.config !== undefined && onlyOurPrePush(target.git.cwd);
  const result = await target.git.run(['push', '--atomic', '--porcelain', ...(noVerify ? ['--no-verify'] : []), target.remote, ...specs], {
    okCodes: [1, 128],
    ...(env ? { env } : {}),
  });
  if (result.status === 0) return { ok: true, confirmed: hubReportsMain(result.stdout, commit, target.mainBranch) };
  // --porcelain prints one "!\t<src>:<dst>\t[rejected] (<reason>)" line per refused ref. A
  // refusal by a hook (our pre-push prints no such line; the hub's says "hook declined")
  // is a real refusal, never a lost race to retry.
  const rejected = result.stdout.split('\n').filter((l) => l.startsWith('!'));
  // With --atomic the hub may name only "atomic transaction failed" and say why on stderr
  // ("cannot lock ref 'refs/heads/main': is at X but expected Y").
  const all = rejected.map((l) => l.split('\t')[2] ?? '');
  const reasons = all.filter((r) => !/atomic (push|transaction) failed/.test(r));
  const isRace = (text: string) => RACE_SIGNS.some((sign) => sign.test(text));
  // Main refused only because the atomic push failed on another ref (e.g. a session branch
  // already on the hub): main did not move, so this is no lost race.
  const mainSpec = `:refs/heads/${target.mainBranch}\t`;
  const mainLine = rejected.find((l) => l.includes(mainSpec));
  const other = rejected.find((l) => !l.includes(mainSpec) && !/atomic (push|transaction) failed/.test(l.split('\t')[2] ?? ''));
  if (refs.length > 0 && other && (!mainLine || /atomic (push|transaction) failed/.test(mainLine.split('\t')[2] ?? ''))) {
    const ref = other.split('\t')[1]?.split(':')[1] ?? '';
    return { ok: false, race: false, ref, detail: other.trim() };
  }
  const race =
    rejected.length > 0 &&
    !all.some((r) => /hook declined/.test(r)) &&
    (reasons.length > 0 ? reasons.every(isRace) : isRace(result.stderr));
  const detail = [...rejected, ...result.stderr.split('\n')]
    .map((l) => l.trim())
    .filter((l) => l && !/^(To |Done$|hint:|error: failed to push some refs|fatal: the remote end hung up)/.test(l))
    .slice(-8)
    .join(' / ');
  return { ok: false, race, detail };
}

/** The hub's main as it is now (one ls-remote). */
export async function hubMainTip(target: HubTarget): Promise<string | undefined> {
  const out = await target.git.run(['ls-remote', target.remote, `refs/heads/${target.mainBranch}`]);
  return out.stdout.split('\t')[0]?.trim() || undefined;
}

/** True when `commit` is on the hub's main (checked with ls-remote, then ancestry). */
export async function confirmOnHub(target: HubTarget, commit: string): Promise<boolean> {
  const tip = await hubMainTip(target);
  if (tip === commit) return true;
  const now = await fetchHubMain(target);
  const ancestor = await target.git.run(['merge-base', '--is-ancestor', commit, now], { okCodes: [1] });
  return ancestor.status === 0;
}

/**
 * How long to wait before attempt `attempt + 1`. The base is the configured backoff, or the
 * time the lost attempt took if longer: on a loaded machine an attempt (fetch, build, push
 * with its pre-push hook) may take far longer than backoffMs, and contenders must spread
 * over several attempt-lengths or they all push at once again, each running its hook.
 */
export function backoffDelay(attempt: number, retry: Config['claim'], random: () => number = Math.random, attemptMs = 0, othersLeft?: number): number {
  const base = Math.max(retry.backoffMs, Math.min(attemptMs, retry.maxBackoffMs));
  let cap = Math.min(retry.maxBackoffMs, base * 2 ** Math.min(attempt, 20));
  // Never longer than the other open choices may last (HubBuild.othersLeft), one attempt at least.
  if (othersLeft !== undefined) cap = Math.min(cap, base * Math.max(1, othersLeft));
  // "Full jitter": contenders spread over the whole window, so that after a lost round
  // few of them try at once (the others see main moved and skip the push).
  return Math.round(random() * cap);
}

/** AGENT_SESSIONS_TRACE_HUB=<file>: one line per attempt and phase (for tuning, not for users). */
function trace(event: string): void {
  const file = process.env.AGENT_SESSIONS_TRACE_HUB;
  if (!file) return;
  // This process's own CPU so far (ms, user + system; git children not included).
  const { user, system } = process.cpuUsage();
  appendFileSync(file, `${Date.now()} ${process.pid} ${event} cpu=${Math.round((user + system) / 1000)}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one transition against the hub: fetch, build(main), push, retry on a moved main.
 * build() throws to stop (LostRaceError, RefusedError...) and may say the hub already has
 * the change. The local repository keeps nothing of a failed attempt: objects only.
 */
export async function runHubTransaction<T>(
  target: HubTarget,
  build: (main: string, attempt: number) => Promise<HubBuild<T> | HubAlreadyDone<T>>,
): Promise<HubTransactionResult<T>> {
  let lastDetail = '';
  let retryAtOnce = false;
  for (let attempt = 1; attempt <= target.retry.maxAttempts; attempt++) {
    const started = Date.now();
    const main = await fetchHubMain(target);
    trace(`attempt ${attempt} fetched ${Date.now() - started}ms`);
    const built = await build(main, attempt);
    trace(`attempt ${attempt} built ${Date.now() - started}ms`);
    if ('done' in built) return { value: built.value, main, attempts: attempt };
    // Under contention most attempts are doomed: a cheap look at the hub's main (one
    // ls-remote) skips the push, and the pre-push hook it would run, when main has moved.
    if (attempt > 1 && (await hubMainTip(target)) !== main) {
      lastDetail = `${target.mainBranch} moved before the push`;
      trace(`attempt ${attempt} precheck-miss ${Date.now() - started}ms`);
    } else {
      const pushed = await pushAtomic(target, main, built);
      trace(`attempt ${attempt} push-${pushed.ok ? 'ok' : 'lost'} ${Date.now() - started}ms`);
      if (pushed.ok) {
        // git's own report of the ref update confirms it; ls-remote only when that is unclear.
        const confirmed = pushed.confirmed || (await confirmOnHub(target, built.commit));
        trace(`attempt ${attempt} confirmed ${Date.now() - started}ms`);
        if (!confirmed) {
          throw new RefusedError('push-not-on-hub', `the hub accepted the push but ${built.commit.slice(0, 8)} is not on its ${target.mainBranch}`, {
            fix: "someone rewrote the hub's main; run `git fetch` and `agent-sessions status`, then try again",
          });
        }
        return { value: built.value, main: built.commit, commit: built.commit, attempts: attempt };
      }
      if (!pushed.race && pushed.local) {
        throw new RefusedError('pre-push-refused', `the pre-push rules, run here on the commit built for the hub, refuse it (nothing was pushed): ${pushed.detail}`, {
          fix: 'this is a judgement of the commit this command built, not of the hub: correct what the rule names, then run the command again',
          data: { detail: pushed.detail },
        });
      }
      if (!pushed.race) throw hubRefusal(target, pushed, `its ${target.mainBranch} did not move`);
      lastDetail = pushed.detail;
    }
    retryAtOnce = built.onlyChoice === true && !retryAtOnce;
    if (attempt < target.retry.maxAttempts && !retryAtOnce) {
      const wait = backoffDelay(attempt - 1, target.retry, Math.random, Date.now() - started, built.othersLeft);
      trace(`attempt ${attempt} sleep ${wait}ms`);
      await sleep(wait);
    }
  }
  throw new RefusedError('too-many-attempts', `the hub's ${target.mainBranch} kept moving: ${target.retry.maxAttempts} attempts failed (${lastDetail})`, {
    fix: 'run the command again, or raise claim.maxAttempts in the config',
  });
}

