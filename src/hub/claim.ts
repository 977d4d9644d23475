// The claim transaction: planned -> active as ONE commit on the hub's main, pushed
// atomically with the new session branch. The push is the lock (transaction.ts). Before the
// push, the claim token is kept under `.git/` (holder.ts) and its hash goes into the commit's
// `.session-env`. Only once the hub has accepted it does anything else local change: main
// fast-forwarded, then the worktree (or clone) on session/<slug>. A lost race leaves no trace.
import { join } from 'node:path';
import type { RepoContext } from '../context.ts';
import { LostRaceError, RefusedError } from '../errors.ts';
import { BlobReader } from '../engine/blob-reader.ts';
import { faultPoint } from '../faults.ts';
import { addLockEntry, parseLockFile, serializeLockFile } from '../lockfile.ts';
import { isSlug } from '../slug.ts';
import { isState, STATES, type SessionState } from '../states.ts';
import { renderTemplate } from '../templates.ts';
import { checkedOutResult, createCheckout, type ClaimResult } from './checkout.ts';
import { readyWorktree } from '../worktree-setup.ts';
import { ensureToken, holderHashOf, readToken, tokenHash, withHolderLine } from './holder.ts';
import { gitSafeName, renderSessionEnv } from './identity.ts';
import { clonePath, syncLocalMain, worktreePath, mainRootOf } from './local.ts';
import { hubTarget, runHubTransaction } from './transaction.ts';
import { claimRef, isRefsMode, runRefsTransaction } from './claim-refs.ts';
import { commitTree, editTree, lsTree, type FileWrite, type Identity, type TreeEntry } from './tree.ts';
import { TreeBuilder } from './tree-builder.ts';

export type { ClaimResult } from './checkout.ts';

/**
 * What the hub's main says about the sessions, from ONE `ls-tree -r` of the sessions folder
 * and the lock file per attempt. The same listing serves the choice of a session, the claim
 * commit's tree edit, and the pre-push judgement's model of main.
 */
export interface ClaimView {
  main: string;
  entries: TreeEntry[];
  /** The first state folder (in STATES order) holding `slug`. */
  stateOf(slug: string): SessionState | undefined;
  /** The slugs in one state folder, by name. */
  slugsIn(state: SessionState): string[];
  /** Blob contents by id through the command's one `cat-file --batch` process. */
  blobs: BlobReader;
  /** The command's tree builder (its git processes serve every attempt). */
  trees: TreeBuilder;
  /** Refs mode: slug -> the commit of its claim ref on the hub (a planned session so named is active). */
  claims?: ReadonlyMap<string, string>;
}

/** The choice of a chooser: a planned slug to claim, or an active one this checkout already holds. */
export type ClaimChoice = string | { slug: string; resume: true };

/** Picks the slug to claim on this main, or throws (LostRaceError when nothing is left). */
export type ClaimChooser = (view: ClaimView, ctx: RepoContext) => Promise<ClaimChoice>;

export async function viewOf(ctx: RepoContext, main: string, blobs: BlobReader, trees: TreeBuilder, claims?: ReadonlyMap<string, string>): Promise<ClaimView> {
  const { sessions, lockFile } = ctx.layout.rel;
  const entries = await lsTree(ctx.git, main, [sessions, lockFile]);
  const present = new Set<string>(); // "<state>/<slug>"
  const prefix = `${sessions}/`;
  for (const entry of entries) {
    if (!entry.path.startsWith(prefix)) continue;
    const parts = entry.path.slice(prefix.length).split('/');
    if (parts.length >= 3 && isState(parts[0]!)) present.add(`${parts[0]}/${parts[1]}`);
  }
  // Refs mode: a planned session with a claim ref is active (main hears of it only by PR).
  const claimed = (slug: string) => claims?.has(slug) === true && present.has(`planned/${slug}`);
  const stateOf = (slug: string) => {
    const state = STATES.find((s) => present.has(`${s}/${slug}`));
    return state === 'planned' && claimed(slug) ? 'active' : state;
  };
  return {
    main,
    entries,
    blobs,
    trees,
    ...(claims ? { claims } : {}),
    stateOf,
    slugsIn: (state) => [...new Set([...present].map((key) => key.slice(key.indexOf('/') + 1)))].filter((slug) => isSlug(slug) && stateOf(slug) === state).sort(),
  };
}

/** A blob's text through the shared reader; never guessed: an unreadable blob is an error. */
async function blobText(blobs: BlobReader, sha: string): Promise<string> {
  await blobs.fetch([sha]);
  const text = blobs.get(sha);
  if (text === undefined) throw new Error(`cannot read blob ${sha} of the hub's main`);
  return text;
}

/** True when this checkout's claim token matches the holder line of active `slug` in `view`. */
export async function holdsOn(ctx: RepoContext, view: ClaimView, slug: string): Promise<boolean> {
  const token = readToken(ctx.root, slug);
  if (!token) return false;
  const claim = view.claims?.get(slug);
  if (claim) {
    // Refs mode: the holder line is on the claim ref's commit (the claim, not yet a completion).
    const [env] = await view.blobs.objects([`${claim}:${ctx.layout.rel.session('active', slug)}/.session-env`]);
    return env !== undefined && holderHashOf(env.content.toString('utf8')) === tokenHash(token);
  }
  const env = view.entries.find((e) => e.path === `${ctx.layout.rel.session('active', slug)}/.session-env`);
  if (!env) return false;
  return holderHashOf(await blobText(view.blobs, env.sha)) === tokenHash(token);
}

/** The claim commit for `slug` on `view.main`. Pure construction: nothing is checked out. */
async function buildClaimCommit(ctx: RepoContext, view: ClaimView, slug: string, identity: Identity, now: Date, holderHash: string): Promise<string> {
  const { layout, git } = ctx;
  const from = layout.rel.session('planned', slug);
  const to = layout.rel.session('active', slug);
  const has = (name: string) => view.entries.some((e) => e.path === `${from}/${name}`);
  const lockEntry = view.entries.find((e) => e.path === layout.rel.lockFile);
  const lockText = lockEntry ? await blobText(view.blobs, lockEntry.sha) : '';
  const lock = addLockEntry(parseLockFile(lockText, layout.rel.lockFile), { slug, claimedAt: Math.floor(now.getTime() / 1000) });
  const timestamp = now.toISOString();
  const who = gitSafeName(identity.name);
  const writes: FileWrite[] = [
    { path: `${to}/.session-env`, content: withHolderLine(renderSessionEnv(slug, identity, layout), holderHash) },
    { path: layout.rel.lockFile, content: serializeLockFile(lock) },
  ];
  const worklog = view.entries.find((e) => e.path === `${from}/worklog.md`);
  if (worklog) {
    const old = await blobText(view.blobs, worklog.sha);
    writes.push({ path: `${to}/worklog.md`, content: `${old}${old.endsWith('\n') || !old ? '' : '\n'}- ${timestamp} claimed by ${who}\n` });
  } else {
    writes.push({ path: `${to}/worklog.md`, content: renderTemplate('worklog.md.j2', { SESSION_SLUG: slug, TIMESTAMP: timestamp, USER_NAME: who }, layout) });
  }
  if (!has('active-plan.md')) {
    writes.push({ path: `${to}/active-plan.md`, content: renderTemplate('active-plan.md.j2', { SESSION_SLUG: slug, TIMESTAMP: timestamp, USER_NAME: who }, layout) });
  }
  // The seed's third writable file: scope found during the session, each a new session.
  if (!has('subsessions.md')) writes.push({ path: `${to}/subsessions.md`, content: renderTemplate('subsessions.md.j2', { SESSION_SLUG: slug }, layout) });
  const tree = await editTree(git, `${view.main}^{tree}`, { moves: [{ from, to }], writes }, view.trees);
  return commitTree(git, tree, [view.main], `[${slug}] chore: claim session (planned -> active)\n`, { name: who, email: identity.email });
}

/** Where an interrupted claim's branch starts: the hub's session branch, else the claim's main. */
async function resumeStart(ctx: RepoContext, slug: string, main: string): Promise<string> {
  const branch = ctx.layout.branch(slug);
  const tracking = `refs/remotes/${ctx.config.git.remote}/${branch}`;
  await ctx.git.run(['fetch', '-q', '--no-tags', ctx.config.git.remote, `+refs/heads/${branch}:${tracking}`], { okCodes: [1, 128] });
  const tip = (await ctx.git.run(['rev-parse', '-q', '--verify', `${tracking}^{commit}`], { okCodes: [1, 128] })).stdout.trim();
  return tip || main;
}

/** The hub refused the new session branch alone: a `session/<slug>` is already there. */
function strayBranch(ctx: RepoContext, slug: string, detail: string): RefusedError {
  const branch = ctx.layout.branch(slug);
  const remote = ctx.config.git.remote;
  return new RefusedError('stray-hub-branch', `the hub already has a branch ${branch}, though ${slug} is not active there: a leftover (nothing was claimed)`, {
    fix: `keep a copy and delete it on the hub, then claim again: git fetch ${remote} +refs/heads/${branch}:refs/agent-sessions/backup/${slug} && git push ${remote} --delete ${branch} && agent-sessions claim ${slug}`,
    data: { slug, branch, detail },
  });
}

/** Claims whatever `choose` picks, racing on the hub; then sets up the local checkout. */
export async function claimOnHub(
  ctx: RepoContext,
  identity: Identity,
  choose: ClaimChooser,
  options: { clone?: boolean; now?: Date; othersLeft?: (view: ClaimView, chosen: string) => number } = {},
): Promise<ClaimResult> {
  // One cat-file process for every blob the attempts read (lock file, SESSION.md front
  // matter) and for the pre-push judgement: retries cost no extra process for reading.
  const blobs = new BlobReader(ctx.git.cwd);
  const trees = new TreeBuilder(ctx.git.cwd, blobs); // one cat-file process for both
  const target = { ...hubTarget(ctx), blobs };
  let seenMain = '';
  let chosen: string | undefined;
  const attempt = async (view: ClaimView) => {
    seenMain = view.main;
    const choice = await choose(view, ctx);
    if (typeof choice !== 'string') return { done: true as const, value: choice.slug };
    chosen = choice;
    // Kept BEFORE the push: a claim killed right after it still knows its token. A token
    // left by a lost attempt is harmless (its hash is on no hub) and is reused next time.
    const token = ensureToken(ctx.root, choice);
    const commit = await buildClaimCommit(ctx, view, choice, identity, options.now ?? new Date(), tokenHash(token));
    await faultPoint('claim:before-push');
    // Claiming one slug, or the last candidate: a lost race most likely took it (transaction.ts).
    const othersLeft = options.othersLeft?.(view, choice) ?? 0;
    return { commit, value: choice, onlyChoice: othersLeft === 0, ...(options.othersLeft ? { othersLeft } : {}) };
  };
  const branchRef = (slug: string) => `refs/heads/${ctx.layout.branch(slug)}`;
  const transaction: Promise<{ value: string; main: string; commit?: string; attempts: number }> = isRefsMode(ctx.config)
    ? // Refs mode: the claim ref (create-only lease) and the session branch, in one atomic push.
      runRefsTransaction<{ slug: string; commit?: string }>(target, async (hub) => {
        const view = await viewOf(ctx, hub.main, blobs, trees, hub.claims);
        const built = await attempt(view);
        if ('done' in built) return { done: true, value: { slug: built.value } };
        const refs = [
          { ref: claimRef(built.value), sha: built.commit, expect: '' },
          { ref: branchRef(built.value), sha: built.commit, expect: '' },
        ];
        return { judge: { commit: built.commit, main: hub.main, base: view.entries }, refs, value: { slug: built.value, commit: built.commit } };
      }).then((r) => ({ value: r.value.slug, main: r.hub.main, attempts: r.attempts, ...(r.value.commit ? { commit: r.value.commit } : {}) }))
    : runHubTransaction(target, async (main) => {
        const view = await viewOf(ctx, main, blobs, trees);
        const built = await attempt(view);
        if ('done' in built) return built;
        return { commit: built.commit, refs: [{ ref: branchRef(built.value), sha: built.commit }], base: view.entries, value: built.value, onlyChoice: built.onlyChoice, ...(built.othersLeft !== undefined ? { othersLeft: built.othersLeft } : {}) };
      });
  const done = await transaction
    .catch(async (err: unknown) => {
      // Lost: nothing of ours exists locally; bring main up to the hub's so that the agent
      // sees who holds what (never touching a dirty checkout).
      if (err instanceof LostRaceError && seenMain) await syncLocalMain(ctx, seenMain).catch(() => undefined);
      if (err instanceof RefusedError && err.code === 'hub-ref-conflict' && chosen) throw strayBranch(ctx, chosen, String(err.data?.detail ?? ''));
      throw err;
    })
    .finally(() => {
      blobs.close();
      trees.close();
    });
  const slug = done.value;
  const resumed = done.commit === undefined;
  const commit = done.commit ?? (await resumeStart(ctx, slug, done.main));
  await faultPoint('claim:after-push');
  const localMain = await syncLocalMain(ctx, done.main);
  await faultPoint('claim:after-local-main');
  const notes: string[] = localMain.note ? [localMain.note] : [];
  if (resumed) notes.push(`${slug} was already claimed with this checkout's token (an interrupted claim): made its ${options.clone ? 'clone' : 'worktree'}`);
  const path = options.clone ? clonePath(ctx, slug) : worktreePath(ctx, slug);
  notes.push(...(await createCheckout(ctx, slug, commit, { path, ...(options.clone ? { clone: true } : {}) })));
  await faultPoint('claim:after-worktree');
  notes.push(...(await readyWorktree({ mainRoot: mainRootOf(ctx), worktree: path, config: ctx.config, slug })));
  return checkedOutResult({
    slug,
    commit,
    branch: ctx.layout.branch(slug),
    isolation: options.clone ? 'clone' : 'worktree',
    path,
    sessionDir: join(path, ...ctx.layout.rel.session('active', slug).split('/')),
    identity,
    attempts: done.attempts,
    localMain,
    notes,
    ...(resumed ? { resumed: true } : {}),
  });
}
