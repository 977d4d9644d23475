// `agent-sessions status` (alias `list`): every session with its state, age and holder.
// By default it reads the hub's guarded branch after ONE fetch (what `next` and `claim` see:
// a session completed on the hub is not shown active because this checkout is behind);
// `--local` reads this checkout's files only (no git), fast with thousands of sessions.
import { join } from 'node:path';
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions } from '../context.ts';
import { UsageError } from '../errors.ts';
import { summarizeSessionMd } from '../session-md.ts';
import { parseSessionEnv } from '../sessions.ts';
import { freshSource, localSource, type SessionsSource } from '../sessions-view.ts';
import { anyOldClaim, hubBranchTimes, refreshHubBranches, stalenessOf } from '../stale.ts';
import { isState, STATES, type SessionState } from '../states.ts';
import { compareCodeUnits } from '../compare.ts';
import { printable } from '../printable.ts';
import type { HubMode } from '../config.ts';
import { claimRef, completionBranch } from '../hub/claim-refs.ts';

export interface StatusOptions extends CommonOptions {
  state?: string;
  /** Read this checkout's files instead of the hub's branch. */
  local?: boolean;
  now?: Date;
}

export interface SessionStatus {
  slug: string;
  state: SessionState;
  title?: string;
  path: string;
  created?: string;
  claimedAt?: number;
  /** Seconds since the claim (active) or since creation (others). */
  ageSeconds?: number;
  holder?: { name?: string; email?: string };
  /** Active only: lock line older than stale.lockAgeHours and the hub branch idle for stale.idleHours. */
  stale?: boolean;
  /** Refs mode: the claim ref's commit, and the pull-request branch once `complete` (or `abandon`) pushed it. */
  claim?: { ref: string; commit: string; completion?: string; abandonment?: string };
}

export interface StatusResult {
  sessions: SessionStatus[];
  counts: Record<SessionState, number>;
  /** Disagreements between the lock file and active/, stray folders. */
  problems: string[];
  /** What was read: the hub's branch (with the commit) or this checkout. */
  source: { kind: 'hub' | 'local'; rev?: string; note?: string };
  /** Where transitions go (git.hubMode, docs/hosting.md "Hub modes") and the branch they land on or are merged into. */
  hub: { mode: HubMode; mainBranch: string };
}

export async function status(options: StatusOptions = {}): Promise<StatusResult> {
  if (options.state !== undefined && !isState(options.state)) {
    throw new UsageError('bad-state', `unknown state ${JSON.stringify(options.state)}`, { fix: `use one of: ${STATES.join(', ')}` });
  }
  const ctx = await openRepo(options);
  const view: SessionsSource = options.local ? localSource(ctx) : await freshSource(ctx, (state, name) => name === 'SESSION.md' || (name === '.session-env' && state === 'active'));
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const lock = view.lock;
  const lockBySlug = new Map(lock.map((entry) => [entry.slug, entry]));
  const { sessions, strays } = view;
  const counts = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<SessionState, number>;
  const problems: string[] = strays.map((path) => `${path} is not a valid session slug`);
  const out: SessionStatus[] = [];
  const seen = new Map<string, SessionState>();
  for (const session of sessions) {
    counts[session.state]++;
    const other = seen.get(session.slug);
    if (other) problems.push(`${session.slug} is in both ${other}/ and ${session.state}/`);
    seen.set(session.slug, session.state);
    if (options.state && session.state !== options.state) continue;
    const entry: SessionStatus = { slug: session.slug, state: session.state, path: session.dir };
    const head = view.head(session.dir, 'SESSION.md');
    if (head !== undefined) {
      const summary = summarizeSessionMd(head);
      if (summary.title) entry.title = summary.title;
      if (summary.created) entry.created = summary.created;
    }
    let since: number | undefined;
    if (session.state === 'active') {
      const lockEntry = lockBySlug.get(session.slug);
      if (lockEntry) {
        entry.claimedAt = lockEntry.claimedAt;
        since = lockEntry.claimedAt;
      }
      const claim = view.claims?.get(session.slug);
      if (claim) {
        const ending = claim.ending === 'completed' ? { completion: completionBranch(session.slug) } : claim.ending === 'abandoned' ? { abandonment: `agent-sessions/abandon/${session.slug}` } : {};
        entry.claim = { ref: claimRef(session.slug), commit: claim.commit, ...ending };
      }
      const env = view.head(session.dir, '.session-env');
      if (env !== undefined) {
        const values = parseSessionEnv(env);
        entry.holder = { name: values.GIT_AUTHOR_NAME, email: values.GIT_AUTHOR_EMAIL };
      }
    }
    if (since === undefined && entry.created) {
      const ms = Date.parse(entry.created);
      if (!Number.isNaN(ms)) since = Math.floor(ms / 1000);
    }
    since ??= view.mtime(session.dir);
    if (since !== undefined) entry.ageSeconds = Math.max(0, nowSeconds - since);
    out.push(entry);
  }
  for (const entry of lock) {
    if (seen.get(entry.slug) !== 'active') problems.push(`${ctx.layout.rel.lockFile} lists ${entry.slug}, which is not in active/`);
  }
  for (const [slug, state] of seen) {
    if (state === 'active' && !lockBySlug.has(slug)) problems.push(`active session ${slug} has no line in ${ctx.layout.rel.lockFile}`);
  }
  // Git is asked only when some claim is old enough to be stale (one for-each-ref for all).
  const claims = out.filter((e) => e.state === 'active' && e.claimedAt !== undefined);
  if (anyOldClaim(claims.map((e) => e.claimedAt!), ctx.config, nowSeconds)) {
    let branchTimes = hubBranchTimes(ctx.root, ctx.config);
    const staleNow = () => claims.filter((e) => stalenessOf(e.claimedAt!, branchTimes.get(e.slug), ctx.config, nowSeconds).stale);
    let stale = staleNow();
    // A "stale" verdict invites a take-over, which judges from the hub's branches: judge from
    // them too (one fetch, only when something looks stale), so the two always agree.
    if (stale.length > 0 && refreshHubBranches(ctx.root, ctx.config)) {
      branchTimes = hubBranchTimes(ctx.root, ctx.config);
      stale = staleNow();
    }
    for (const e of stale) e.stale = true;
  }
  const order = new Map(STATES.map((s, i) => [s, i]));
  out.sort((a, b) => order.get(a.state)! - order.get(b.state)! || compareCodeUnits(a.slug, b.slug));
  const source = { kind: view.kind, ...(view.rev ? { rev: view.rev } : {}), ...(view.note ? { note: view.note } : {}) };
  return { sessions: out, counts, problems, source, hub: { mode: ctx.config.git.hubMode, mainBranch: ctx.config.git.mainBranch } };
}

export function formatAge(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400 * 2) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

export const command: Command<StatusOptions, StatusResult> = {
  run: status,
  text: (r) => {
    const from = r.source.note ? `note: ${r.source.note}` : undefined;
    if (r.sessions.length === 0 && r.problems.length === 0) return [...(from ? [from] : []), 'No sessions yet. Draft one with `agent-sessions new "<words>"`.'].join('\n');
    const lines = [`${'STATE'.padEnd(10)} ${'AGE'.padStart(5)}  ${'SLUG'.padEnd(44)} HOLDER / TITLE`];
    for (const s of r.sessions) {
      const who = printable(s.holder ? `${s.holder.name ?? '?'} <${s.holder.email ?? '?'}>` : (s.title ?? ''));
      const pr = s.claim?.completion || s.claim?.abandonment ? `  [pull request: ${s.claim.completion ?? s.claim.abandonment}]` : '';
      lines.push(`${s.state.padEnd(10)} ${formatAge(s.ageSeconds).padStart(5)}  ${s.slug.padEnd(44)} ${who}${s.stale ? '  [stale]' : ''}${pr}`);
    }
    lines.push(STATES.map((s) => `${s} ${r.counts[s]}`).join(' · '));
    for (const p of r.problems) lines.push(`problem: ${printable(p)}`);
    if (from) lines.push(from);
    return lines.join('\n');
  },
};
