// `agent-sessions claim <slug>`: planned -> active as ONE commit on the hub's main, pushed
// atomically with the new session branch. The push is the lock (src/hub/transaction.ts).
// Only once the hub has accepted it does anything local change: main fast-forwarded, then
// the worktree (or clone) on session/<slug>. A lost race leaves no local trace.
import { chmodSync, existsSync } from 'node:fs';
import { join, parse, relative } from 'node:path';
import { activationLine, cliInvocation } from '../activation.ts';
import { shellQuote } from '../sessions.ts';
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions, type RepoContext } from '../context.ts';
import { GitError, LostRaceError, RefusedError, UsageError } from '../errors.ts';
import { BlobReader } from '../engine/blob-reader.ts';
import { faultPoint } from '../faults.ts';
import { Git } from '../git.ts';
import { installHooks } from '../hooks-install.ts';
import { gitSafeName, renderSessionEnv, resolveIdentity, sessionEnvValues, type IdentityOptions } from '../hub/identity.ts';
import { clonePath, mainRootOf, syncLocalMain, worktreePath, type LocalMainSync } from '../hub/local.ts';
import { wrongStateOnHub } from '../hub/state.ts';
import { runHubTransaction, type HubTarget } from '../hub/transaction.ts';
import { commitTree, editTree, lsTree, type FileWrite, type Identity, type TreeEntry } from '../hub/tree.ts';
import { TreeBuilder } from '../hub/tree-builder.ts';
import { addLockEntry, parseLockFile, serializeLockFile } from '../lockfile.ts';
import { assertSlug, isSlug } from '../slug.ts';
import { isState, STATES, type SessionState } from '../states.ts';
import { applySessionModes } from '../session-modes.ts';
import { renderTemplate } from '../templates.ts';

export interface ClaimOptions extends CommonOptions, IdentityOptions {
  slug: string;
  clone?: boolean;
  takeOver?: boolean;
  reason?: string;
  now?: Date;
}

export interface ClaimResult {
  slug: string;
  state: 'active';
  commit: string;
  branch: string;
  isolation: 'worktree' | 'clone';
  /** The worktree or clone to work in. */
  path: string;
  /** The session's folder inside it. */
  sessionDir: string;
  env: Record<string, string>;
  /** The shell line that activates the session. */
  activate: string;
  attempts: number;
  localMain: LocalMainSync;
  notes: string[];
}

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
}

/** Picks the slug to claim on this main, or throws (LostRaceError when nothing is left). */
export type ClaimChooser = (view: ClaimView, ctx: RepoContext) => Promise<string>;

export function hubTarget(ctx: RepoContext): HubTarget {
  return { git: ctx.git, remote: ctx.config.git.remote, mainBranch: ctx.config.git.mainBranch, retry: ctx.config.claim, config: ctx.config };
}

export async function viewOf(ctx: RepoContext, main: string, blobs: BlobReader, trees: TreeBuilder): Promise<ClaimView> {
  const { sessions, lockFile } = ctx.layout.rel;
  const entries = await lsTree(ctx.git, main, [sessions, lockFile]);
  const present = new Set<string>(); // "<state>/<slug>"
  const prefix = `${sessions}/`;
  for (const entry of entries) {
    if (!entry.path.startsWith(prefix)) continue;
    const parts = entry.path.slice(prefix.length).split('/');
    if (parts.length >= 3 && isState(parts[0]!)) present.add(`${parts[0]}/${parts[1]}`);
  }
  return {
    main,
    entries,
    blobs,
    trees,
    stateOf: (slug) => STATES.find((state) => present.has(`${state}/${slug}`)),
    slugsIn: (state) => [...present].filter((key) => key.startsWith(`${state}/`)).map((key) => key.slice(state.length + 1)).filter(isSlug).sort(),
  };
}

/** A blob's text through the shared reader; never guessed: an unreadable blob is an error. */
async function blobText(blobs: BlobReader, sha: string): Promise<string> {
  await blobs.fetch([sha]);
  const text = blobs.get(sha);
  if (text === undefined) throw new Error(`cannot read blob ${sha} of the hub's main`);
  return text;
}

/** The claim commit for `slug` on `view.main`. Pure construction: nothing is checked out. */
async function buildClaimCommit(ctx: RepoContext, view: ClaimView, slug: string, identity: Identity, now: Date): Promise<string> {
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
    { path: `${to}/.session-env`, content: renderSessionEnv(slug, identity, layout) },
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

/** Claims whatever `choose` picks, racing on the hub; then sets up the local checkout. */
export async function claimOnHub(
  ctx: RepoContext,
  identity: Identity,
  choose: ClaimChooser,
  options: { clone?: boolean; now?: Date } = {},
): Promise<ClaimResult> {
  // One cat-file process for every blob the attempts read (lock file, SESSION.md front
  // matter) and for the pre-push judgement: retries cost no extra process for reading.
  const blobs = new BlobReader(ctx.git.cwd);
  const trees = new TreeBuilder(ctx.git.cwd);
  const target = { ...hubTarget(ctx), blobs };
  let seenMain = '';
  const done = await runHubTransaction(target, async (main) => {
    seenMain = main;
    const view = await viewOf(ctx, main, blobs, trees);
    const slug = await choose(view, ctx);
    const commit = await buildClaimCommit(ctx, view, slug, identity, options.now ?? new Date());
    await faultPoint('claim:before-push');
    return { commit, refs: [{ ref: `refs/heads/${ctx.layout.branch(slug)}`, sha: commit }], base: view.entries, value: slug };
  })
    .catch(async (err: unknown) => {
      // Lost: nothing of ours exists locally; bring main up to the hub's so that the agent
      // sees who holds what (never touching a dirty checkout).
      if (err instanceof LostRaceError && seenMain) await syncLocalMain(ctx, seenMain).catch(() => undefined);
      throw err;
    })
    .finally(() => {
      blobs.close();
      trees.close();
    });
  const slug = done.value;
  const commit = done.commit!;
  await faultPoint('claim:after-push');
  const localMain = await syncLocalMain(ctx, commit);
  await faultPoint('claim:after-local-main');
  const notes: string[] = localMain.note ? [localMain.note] : [];
  const branch = ctx.layout.branch(slug);
  const isolation = options.clone ? 'clone' : 'worktree';
  const path = options.clone ? clonePath(ctx, slug) : worktreePath(ctx, slug);
  try {
    if (options.clone) {
      const url = (await ctx.git.run(['remote', 'get-url', ctx.config.git.remote])).stdout.trim();
      await new Git(mainRootOf(ctx)).run(['clone', '-q', '--no-tags', '--branch', branch, url, path]);
      try {
        await installHooks(path);
      } catch (err) {
        notes.push(`hooks not installed in the clone (${err instanceof Error ? err.message : String(err)}); run \`agent-sessions install-hooks\` there`);
      }
    } else {
      const main = new Git(mainRootOf(ctx));
      await addSessionWorktree(main, ['-b', branch, path, commit], path, ctx.config.paths.sessions);
      await main.run(['branch', '-q', `--set-upstream-to=${ctx.config.git.remote}/${branch}`, branch], { okCodes: [1, 128] });
    }
  } catch (err) {
    const detail = err instanceof GitError ? err.stderr.trim().split('\n').slice(-2).join(' / ') : String(err);
    throw new RefusedError('checkout-failed', `claimed ${slug} (the hub has it), but could not create ${path}: ${detail}`, {
      fix: options.clone
        ? `clone it yourself: git clone --branch ${branch} <hub> ${path}`
        : `create it yourself: git worktree add ${path} ${branch} (or -b ${branch} ${path} ${ctx.config.git.remote}/${branch})`,
      data: { slug, commit },
    });
  }
  await faultPoint('claim:after-worktree');
  return checkedOutResult({
    slug,
    commit,
    branch,
    isolation,
    path,
    sessionDir: join(path, ...ctx.layout.rel.session('active', slug).split('/')),
    identity,
    attempts: done.attempts,
    localMain,
    notes,
  });
}

/**
 * `git worktree add <args>` for a session, with the post-checkout hook's work done here:
 * the SESSION.md modes (the activation line is in the command's own output). The hook is told
 * so (AGENT_SESSIONS_CHECKOUT_DONE) and skips its Node start; any other post-checkout
 * commands of the project still run.
 */
export async function addSessionWorktree(git: Git, args: readonly string[], path: string, sessionsDir: string): Promise<void> {
  await git.run(['worktree', 'add', '-q', ...args], { env: { ...process.env, AGENT_SESSIONS_CHECKOUT_DONE: '1' } });
  applySessionModes(path, sessionsDir);
}

/** The result of a won claim (or take-over) once its checkout exists: SESSION.md made 0444. */
export function checkedOutResult(
  parts: Omit<ClaimResult, 'state' | 'env' | 'activate'> & { identity: Parameters<typeof sessionEnvValues>[1] },
): ClaimResult {
  const { identity, ...rest } = parts;
  const sessionMd = join(parts.sessionDir, 'SESSION.md');
  if (existsSync(sessionMd)) chmodSync(sessionMd, 0o444);
  const rel = relative(process.cwd(), parts.path) || '.';
  return {
    ...rest,
    state: 'active',
    env: sessionEnvValues(parts.slug, identity),
    // The CLI by absolute path (or npx --no-install): a devDependency puts no bin on PATH.
    activate: `cd ${shellQuote(rel)} && ${activationLine(cliInvocation(parse(parts.path).root, parts.path), parts.slug)}`,
  };
}

/**
 * A claim killed after its push but before the worktree existed looks, when run again, like a
 * race lost to... yourself. Say so, and how to get the checkout, instead of "pick another".
 */
function mineAlready(err: Error, identity: Identity, ctx: RepoContext, slug: string, clone: boolean): Error {
  const holder = err instanceof LostRaceError ? (err.data?.holder as { name?: string; email?: string } | undefined) : undefined;
  if (!holder || holder.email !== identity.email || holder.name !== identity.name) return err;
  const branch = ctx.layout.branch(slug);
  const remote = ctx.config.git.remote;
  return new LostRaceError('already-yours', `session ${slug} is already active under your identity (${identity.name} <${identity.email}>)`, {
    fix: clone
      ? `if an earlier claim was interrupted, clone it: git clone --branch ${branch} <hub> ${clonePath(ctx, slug)}`
      : `if an earlier claim was interrupted, create the worktree: git fetch ${remote} ${branch} && git worktree add -b ${branch} ${worktreePath(ctx, slug)} ${remote}/${branch}`,
    data: { ...(err instanceof LostRaceError ? err.data : {}), yours: true },
  });
}

export async function claim(options: ClaimOptions): Promise<ClaimResult> {
  const slug = assertSlug(options.slug);
  // A take-over is its own transaction (src/commands/takeover.ts), loaded only when asked for.
  if (options.takeOver) return (await import('./takeover.ts')).takeOver(options);
  if (options.reason !== undefined) {
    throw new UsageError('reason-without-take-over', '--reason goes with --take-over only', { fix: `run: agent-sessions claim ${slug} --take-over --reason "<why>"` });
  }
  const ctx = await openRepo(options);
  const identity = await resolveIdentity(ctx.git, options);
  const path = options.clone ? clonePath(ctx, slug) : worktreePath(ctx, slug);
  if (existsSync(path)) {
    throw new RefusedError('path-exists', `${path} already exists`, { fix: `remove it (or finish the session it holds) before claiming ${slug}` });
  }
  return claimOnHub(
    ctx,
    identity,
    async (view) => {
      const state = view.stateOf(slug);
      if (state !== 'planned') {
        const err = await wrongStateOnHub(ctx.git, view.main, ctx.layout, slug, state, ['planned'], 'claim');
        throw mineAlready(err, identity, ctx, slug, Boolean(options.clone));
      }
      return slug;
    },
    options,
  );
}

export function claimText(r: ClaimResult): string {
  return [
    `Claimed ${r.slug} (commit ${r.commit.slice(0, 8)} on the hub's main${r.attempts > 1 ? `, after ${r.attempts} attempts` : ''}).`,
    `Work in ${r.path} on ${r.branch}; commit as [${r.slug}] <type>: <description>.`,
    ...r.notes.map((n) => `note: ${n}`),
    `Activate: ${r.activate}`,
  ].join('\n');
}

export const command: Command<ClaimOptions, ClaimResult> = { run: claim, text: claimText };
