// `complete` in the refs hub mode: main is never pushed. The completion is offered as the
// branch agent-sessions/complete/<slug> for a pull request into main, holding TWO commits on
// the hub's current main: the claim (planned -> active, lock line; the claim commit itself
// when main has not moved since, else the same change rebuilt on main), then the squash
// (the session's work, active -> completed, the patch, the lock line removed). Merged with a
// merge commit, rebased or fast-forwarded, main then passes every lifecycle rule (a forge's
// "squash merge" would fold both into one planned -> completed commit: refused by check).
// The push is atomic: the claim ref moves to the completion under a lease on its current
// value (only the holder's latest claim completes), the pull-request branch under a lease on
// its previous value (a reviewer's commits on it are never overwritten), and the session
// branch fast-forwards to the tip squashed (the work is on the hub while the PR is open).
import type { RepoContext } from '../context.ts';
import { RefusedError } from '../errors.ts';
import { faultPoint } from '../faults.ts';
import { addLockEntry, parseLockFile, serializeLockFile } from '../lockfile.ts';
import { claimRef, completionBranch, runRefsTransaction } from './claim-refs.ts';
import { buildCompletion, type CompletionBuild } from './completion.ts';
import { assertHolder, type HolderIntent } from './holder.ts';
import { stateOn, wrongStateOnHub } from './state.ts';
import type { SessionState } from '../states.ts';
import { hubTarget } from './transaction.ts';
import { commitTree, editTree, lsTree, type FileWrite, type Identity } from './tree.ts';

export interface RefsCompletionInput {
  slug: string;
  tip: string | undefined;
  runner: Identity;
  now: Date;
  message?: string;
  notes?: string;
  type?: string;
  takeOver?: { reason: string };
}

export interface RefsCompletion {
  /** The pull request was merged already: main has the session completed. */
  merged: boolean;
  main: string;
  built?: CompletionBuild;
  /** The rebuilt (or original) claim commit the completion sits on. */
  claimCommit?: string;
  branch: string;
  attempts: number;
}

/** The claim commit on the session branch: the oldest commit of its first-parent line not on main. */
async function claimOnBranch(ctx: RepoContext, tip: string, main: string, slug: string): Promise<string> {
  const out = await ctx.git.run(['rev-list', '--first-parent', tip, `^${main}`]);
  const oldest = out.stdout.trim().split('\n').filter(Boolean).pop();
  const state = oldest ? await stateOn(ctx.git, oldest, ctx.layout, slug) : undefined;
  if (!oldest || state !== 'active') {
    throw new RefusedError('no-claim-commit', `${ctx.layout.branch(slug)} does not start with the claim of ${slug}`, {
      fix: `complete from the branch the claim created (git log ${ctx.layout.branch(slug)}); its first commit moves ${slug} to active/`,
    });
  }
  return oldest;
}

/** The claim commit `claim` (built on main M0) made again on `main`: same files, same lock line. */
export async function rebaseClaim(ctx: RepoContext, claim: string, main: string, slug: string): Promise<string> {
  const { git, layout } = ctx;
  const [parent, message, name, email] = (await git.run(['log', '-1', '--format=%P%x00%B%x00%an%x00%ae', claim])).stdout.split('\0');
  if (parent?.trim() === main) return claim;
  const from = layout.rel.session('planned', slug);
  const to = layout.rel.session('active', slug);
  const [mine, before] = await Promise.all([lsTree(git, claim, [to]), lsTree(git, `${claim}^`, [from])]);
  const old = new Map(before.map((e) => [e.path.slice(from.length), e.sha]));
  // Only what the claim wrote (.session-env, worklog, plan...): main's own edits of the
  // planned files since then are kept, as the move of a planned session would keep them.
  const writes: FileWrite[] = mine.filter((e) => e.type === 'blob' && old.get(e.path.slice(to.length)) !== e.sha).map((e) => ({ path: e.path, sha: e.sha, mode: e.mode }));
  const lockOf = async (rev: string) => parseLockFile((await git.run(['cat-file', 'blob', `${rev}:${layout.rel.lockFile}`], { okCodes: [128] })).stdout, layout.rel.lockFile);
  const line = (await lockOf(claim)).find((e) => e.slug === slug);
  if (line) writes.push({ path: layout.rel.lockFile, content: serializeLockFile(addLockEntry((await lockOf(main)).filter((e) => e.slug !== slug), line)) });
  const tree = await editTree(git, `${main}^{tree}`, { moves: [{ from, to }], writes });
  return commitTree(git, tree, [main], message ?? `[${slug}] chore: claim session (planned -> active)\n`, { name: name?.trim() || 'agent', email: email?.trim() || 'agent@localhost' });
}

/** The refs (and current values) a completion push leases: ONE ls-remote. */
async function hubBranches(ctx: RepoContext, slug: string): Promise<{ session?: string; pr?: string }> {
  const session = `refs/heads/${ctx.layout.branch(slug)}`;
  const pr = `refs/heads/${completionBranch(slug)}`;
  const out = await ctx.git.run(['ls-remote', ctx.config.git.remote, session, pr]);
  const found = new Map(out.stdout.split('\n').filter(Boolean).map((l) => [l.split('\t')[1], l.split('\t')[0]]));
  return { ...(found.get(session) ? { session: found.get(session)! } : {}), ...(found.get(pr) ? { pr: found.get(pr)! } : {}) };
}

export async function completeViaRefs(ctx: RepoContext, input: RefsCompletionInput): Promise<RefsCompletion> {
  const { slug, tip } = input;
  const target = hubTarget(ctx);
  const branch = completionBranch(slug);
  const done = await runRefsTransaction<{ merged: boolean; built?: CompletionBuild; claimCommit?: string }>(target, async (hub) => {
    const onMain = await stateOn(ctx.git, hub.main, ctx.layout, slug);
    if (onMain === 'completed') return { done: true, value: { merged: true } };
    const claimed = hub.claims.get(slug);
    if (onMain !== 'planned' || !claimed) throw await wrongStateOnHub(ctx.git, hub.main, ctx.layout, slug, onMain === 'planned' ? 'planned' : onMain, ['active'], 'complete');
    // The claim ref names the claim, or (a second run) the completion on top of a claim.
    const claimState = await stateOn(ctx.git, claimed, ctx.layout, slug);
    const holderAt = claimState === 'active' ? claimed : (await ctx.git.run(['rev-parse', `${claimed}^`])).stdout.trim();
    const intent: HolderIntent = { email: input.runner.email, ...(input.takeOver ? { takeOver: true } : {}) };
    const verdict = await assertHolder(ctx.git, ctx.root, ctx.layout, holderAt, slug, 'complete', intent);
    if (!tip) {
      throw new RefusedError('no-session-branch', `no local branch ${ctx.layout.branch(slug)} to complete`, {
        fix: `fetch it first: git fetch ${ctx.config.git.remote} ${ctx.layout.branch(slug)}:${ctx.layout.branch(slug)}`,
      });
    }
    const hubRefs = await hubBranches(ctx, slug);
    if (hubRefs.session && hubRefs.session !== tip && (await ctx.git.run(['merge-base', '--is-ancestor', hubRefs.session, tip], { okCodes: [1, 128] })).status !== 0) {
      throw new RefusedError('hub-branch-ahead', `the hub's ${ctx.layout.branch(slug)} has commits your branch lacks`, {
        fix: `in the session's worktree: git pull --no-rebase --no-edit ${ctx.config.git.remote} ${ctx.layout.branch(slug)}, then run complete again`,
        data: { hubTip: hubRefs.session },
      });
    }
    // The work counts from the branch's first commit (its claim); the claim main gets is the
    // claim ref's (after a take-over: the new holder's), made again on today's main.
    const since = await claimOnBranch(ctx, tip, hub.main, slug);
    const claimCommit = await rebaseClaim(ctx, holderAt, hub.main, slug);
    const holder = verdict.holder;
    const identity = verdict.by === 'take-over' ? input.runner : { name: holder.name || input.runner.name, email: holder.email || input.runner.email };
    const built = await buildCompletion(ctx, {
      slug,
      main: hub.main,
      tip,
      identity,
      now: input.now,
      parent: claimCommit,
      since,
      ...(input.message ? { message: input.message } : {}),
      ...(input.notes ? { notes: input.notes } : {}),
      ...(input.type ? { type: input.type } : {}),
      ...(verdict.by === 'take-over' && input.takeOver ? { takeOver: { reason: input.takeOver.reason, from: `${holder.name ?? '?'} <${holder.email ?? '?'}>` } } : {}),
    });
    await faultPoint('complete:before-push');
    const refs = [
      { ref: claimRef(slug), sha: built.commit, expect: claimed },
      { ref: `refs/heads/${branch}`, sha: built.commit, expect: hubRefs.pr ?? '' },
      ...(hubRefs.session !== tip ? [{ ref: `refs/heads/${ctx.layout.branch(slug)}`, sha: tip, expect: hubRefs.session ?? '' }] : []),
    ];
    return { refs, value: { merged: false, built, claimCommit } };
  });
  const { merged, built, claimCommit } = done.value;
  return { merged, main: done.hub.main, branch, attempts: done.attempts, ...(built ? { built } : {}), ...(claimCommit ? { claimCommit } : {}) };
}

/**
 * After the pull request is merged (main has the session completed): the claim ref and the
 * pull-request branch are leftovers. Each is deleted under a lease on the value seen, the
 * branch only when main contains it (a rebase merge leaves it for the forge or a person).
 */
export async function dropLeftovers(ctx: RepoContext, slug: string, main: string): Promise<string[]> {
  const { git, config } = ctx;
  const refs = [claimRef(slug), `refs/heads/${completionBranch(slug)}`];
  const out = await git.run(['ls-remote', config.git.remote, ...refs]);
  const found = out.stdout.split('\n').filter(Boolean).map((l) => ({ sha: l.split('\t')[0]!, ref: l.split('\t')[1]! }));
  const gone: typeof found = [];
  for (const f of found) {
    if (f.ref === refs[0]) gone.push(f);
    else if ((await git.run(['merge-base', '--is-ancestor', f.sha, main], { okCodes: [1, 128] })).status === 0) gone.push(f);
  }
  if (gone.length === 0) return [];
  const pushed = await git.run(['push', '-q', '--atomic', ...gone.map((g) => `--force-with-lease=${g.ref}:${g.sha}`), config.git.remote, ...gone.map((g) => `:${g.ref}`)], { okCodes: [1, 128], env: { ...process.env, AGENT_SESSIONS_PUSH_JUDGED: 'delete' } });
  return pushed.status === 0 ? gone.map((g) => g.ref) : [];
}

/**
 * abandon (and cancel of a claimed session) in the refs mode: `build` makes the ending commit
 * on top of the claim made again on main, exactly as it would on main in the direct mode; the
 * claim ref moves to it under a lease, and it is offered as agent-sessions/<verb>/<slug>.
 */
export async function endViaRefs(
  ctx: RepoContext,
  slug: string,
  verb: 'abandon',
  build: (base: string) => Promise<{ commit: string; value: undefined } | { done: true; value: undefined }>,
): Promise<{ main: string; commit?: string; attempts: number }> {
  const done = await runRefsTransaction<{ commit?: string }>(hubTarget(ctx), async (hub) => {
    const onMain = await stateOn(ctx.git, hub.main, ctx.layout, slug);
    if (onMain === 'abandoned') return { done: true, value: {} };
    const claimed = hub.claims.get(slug);
    if (onMain !== 'planned' || !claimed) throw await wrongStateOnHub(ctx.git, hub.main, ctx.layout, slug, onMain === 'planned' ? 'planned' : onMain, ['active'], verb);
    const claimState = await stateOn(ctx.git, claimed, ctx.layout, slug);
    if (claimState === 'abandoned') return { done: true, value: {} };
    const claim = claimState === 'active' ? claimed : (await ctx.git.run(['rev-parse', `${claimed}^`])).stdout.trim();
    const built = await build(await rebaseClaim(ctx, claim, hub.main, slug));
    if ('done' in built) return { done: true, value: {} };
    const branch = `refs/heads/agent-sessions/${verb}/${slug}`;
    const current = (await ctx.git.run(['ls-remote', ctx.config.git.remote, branch])).stdout.split('\t')[0]?.trim() ?? '';
    return { refs: [{ ref: claimRef(slug), sha: built.commit, expect: claimed }, { ref: branch, sha: built.commit, expect: current }], value: { commit: built.commit } };
  });
  return { main: done.hub.main, attempts: done.attempts, ...(done.value.commit ? { commit: done.value.commit } : {}) };
}

/**
 * cancel in the refs mode (drafting|planned -> abandoned): the commit is built on main as in
 * the direct mode and offered as agent-sessions/cancel/<slug>. A session claimed meanwhile
 * (its claim ref exists) loses the race for the canceller (exit 3), as on main.
 */
export async function cancelViaRefs(
  ctx: RepoContext,
  slug: string,
  build: (main: string) => Promise<{ commit: string; value: SessionState } | { done: true; value: undefined }>,
): Promise<{ main: string; commit?: string; value?: SessionState; branch: string; attempts: number }> {
  const branch = `agent-sessions/cancel/${slug}`;
  const done = await runRefsTransaction<{ commit?: string; value?: SessionState }>(hubTarget(ctx), async (hub) => {
    if (hub.claims.has(slug) && (await stateOn(ctx.git, hub.main, ctx.layout, slug)) === 'planned') {
      throw await wrongStateOnHub(ctx.git, hub.main, ctx.layout, slug, 'active', ['drafting', 'planned'], 'cancel');
    }
    const built = await build(hub.main);
    if ('done' in built) return { done: true, value: {} };
    const current = (await ctx.git.run(['ls-remote', ctx.config.git.remote, `refs/heads/${branch}`])).stdout.split('\t')[0]?.trim() ?? '';
    return { refs: [{ ref: `refs/heads/${branch}`, sha: built.commit, expect: current }], value: { commit: built.commit, value: built.value } };
  });
  return { main: done.hub.main, branch, attempts: done.attempts, ...done.value };
}
