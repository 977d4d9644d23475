// `agent-sessions complete <slug>`: squash-merge session/<slug> into the hub's main as ONE
// commit that also archives the session (src/hub/completion.ts), push it (retrying on a
// moved main), then remove the worktree and the branch, locally and on the hub.
// Resumable: each step checks whether it is already done, so a run killed at any point is
// finished by running the command again.
import { existsSync } from 'node:fs';
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions, type RepoContext } from '../context.ts';
import { RefusedError, UsageError } from '../errors.ts';
import { faultPoint } from '../faults.ts';
import { findTopLevel, Git } from '../git.ts';
import { guardCleanup } from '../hub/cleanup.ts';
import { buildCompletion, sessionTipsOf, type CompletionBuild } from '../hub/completion.ts';
import { assertHolder, dropToken } from '../hub/holder.ts';
import { clonePath, listWorktrees, mainRootOf, removeSessionCheckout, syncLocalMain, worktreePath, type LocalMainSync } from '../hub/local.ts';
import { safeRemove } from '../safe-fs.ts';
import { holderOn, stateOn, wrongStateOnHub } from '../hub/state.ts';
import { fetchHubMain, hubTarget, runHubTransaction } from '../hub/transaction.ts';
import { isRefsMode } from '../hub/claim-refs.ts';
import { completeViaRefs, dropLeftovers } from '../hub/complete-refs.ts';
import { assertSlug } from '../slug.ts';
// Registers drift.md with the completion commit (completionExtras).
import './drift.ts';

export interface CompleteOptions extends CommonOptions {
  slug: string;
  message?: string;
  notes?: string;
  /** The completion commit's type (default: the most significant type among the session's commits). */
  type?: string;
  /** Complete a session this checkout does not hold, on purpose (recorded in the commit). */
  takeOver?: boolean;
  reason?: string;
  now?: Date;
}

export interface CompleteResult {
  slug: string;
  /** 'pull-request' (refs hub mode): the completion waits on a branch for a pull request into main. */
  state: 'completed' | 'pull-request';
  /** Refs hub mode: the branch to open a pull request from, into which branch, and its commits. */
  pullRequest?: { branch: string; into: string; commit: string; claimCommit: string; title: string };
  /** The completion commit on the hub's main. */
  commit?: string;
  /** True when the hub already had the completion (a resumed run). */
  resumed: boolean;
  patch?: string;
  kbSession?: string;
  removed: string[];
  localMain: LocalMainSync;
  attempts: number;
  /** The completion commit's type. */
  type?: string;
  /** OVERRIDE commits the squash carries (named in its Override trailers). */
  overrides?: string[];
  /** A backup ref that keeps commits of the session the hub does not have. */
  backupRef?: string;
}

/** Run inside a session clone (`.sessions/<slug>`), complete acts from the checkout that holds it. */
function outsideClone(root: string, clones: string, slug: string): string | undefined {
  const suffix = `/${clones}/${slug}`;
  if (!root.endsWith(suffix)) return undefined;
  const main = root.slice(0, -suffix.length);
  return main && findTopLevel(main) === main ? main : undefined;
}

/** The identity that runs the command, as git would record it (env, then config). */
async function runnerIdentity(git: Git): Promise<{ name: string; email: string }> {
  const ident = (await git.run(['var', 'GIT_AUTHOR_IDENT'], { okCodes: [128] })).stdout;
  const m = /^(.*?)\s*<([^>]*)>/.exec(ident);
  return { name: m?.[1]?.trim() || 'agent', email: m?.[2]?.trim() || 'agent@localhost' };
}

/** Uncommitted files (tracked or not) in a checkout, as `git status --porcelain` lines. */
async function dirtyFiles(dir: string): Promise<string[]> {
  const out = await new Git(dir).run(['status', '--porcelain']);
  return out.stdout.split('\n').filter(Boolean);
}

/** Where the session's work lives here: its worktree, or its clone (fetched into this repo). */
async function sessionTip(ctx: RepoContext, slug: string): Promise<{ tip?: string; checkout?: string; clone?: string }> {
  const branch = ctx.layout.branch(slug);
  const git = new Git(mainRootOf(ctx));
  const worktree = (await listWorktrees(git)).find((w) => w.branch === branch);
  const clone = clonePath(ctx, slug);
  const checkout = worktree?.path ?? (existsSync(clone) ? clone : undefined);
  if (checkout) {
    const dirty = await dirtyFiles(checkout);
    if (dirty.length) {
      throw new RefusedError('dirty-worktree', `${checkout} has uncommitted changes:\n  ${dirty.join('\n  ')}`, {
        fix: `commit them there as [${slug}] <type>: <description> (or discard them), then run complete again`,
        data: { files: dirty.map((l) => l.slice(3)), path: checkout },
      });
    }
  }
  if (!worktree && checkout) {
    // Never forced: a local branch of the same name with other commits is not overwritten.
    const fetched = await git.run(['fetch', '-q', '--no-tags', checkout, `refs/heads/${branch}:refs/heads/${branch}`], { okCodes: [1, 128] });
    if (fetched.status !== 0) {
      throw new RefusedError('clone-branch-diverged', `${branch} here and in the clone ${checkout} hold different commits: ${fetched.stderr.trim().split('\n').pop()}`, {
        fix: `keep this checkout's ${branch} as a backup ref and let the clone's win, then run complete again: git update-ref refs/agent-sessions/backup/${slug} refs/heads/${branch} && git branch -D ${branch}`,
        data: { path: checkout },
      });
    }
  }
  const tip = (await git.run(['rev-parse', '-q', '--verify', `refs/heads/${branch}^{commit}`], { okCodes: [1] })).stdout.trim();
  return { ...(tip ? { tip } : {}), ...(checkout ? { checkout } : {}), ...(!worktree && checkout ? { clone: checkout } : {}) };
}

export async function complete(options: CompleteOptions): Promise<CompleteResult> {
  const slug = assertSlug(options.slug);
  const reason = options.reason?.replace(/\s+/g, ' ').trim();
  if (options.takeOver && !reason) throw new UsageError('no-reason', '--take-over needs --reason', { fix: `agent-sessions complete ${slug} --take-over --reason "<why the holder cannot>"` });
  if (!options.takeOver && options.reason !== undefined) throw new UsageError('reason-without-take-over', '--reason goes with --take-over', { fix: `agent-sessions complete ${slug} --take-over --reason "<why>"` });
  let ctx = await openRepo(options);
  const main = outsideClone(ctx.root, ctx.config.paths.clones, slug);
  if (main) ctx = await openRepo({ cwd: main });
  if (options.type !== undefined && !ctx.config.commit.types.includes(options.type)) {
    throw new UsageError('bad-type', `--type ${options.type} is not one of the configured types (${ctx.config.commit.types.join(', ')})`, { fix: `e.g. --type ${ctx.config.commit.types[0]}` });
  }
  // Resolved now: once the worktree is removed, a command run inside it cannot find it.
  const home = new Git(mainRootOf(ctx));
  const { tip, clone } = await sessionTip(ctx, slug);
  const target = hubTarget(ctx);
  const now = options.now ?? new Date();
  const runner = await runnerIdentity(ctx.git);
  // The hub's copy of the branch (there since the claim) is deleted in the same atomic push:
  // one push, one pre-push hook run, and no window where main has the work but the branch lingers.
  const branchRef = `refs/heads/${ctx.layout.branch(slug)}`;
  const hubBranchTip = async () => (await ctx.git.run(['ls-remote', ctx.config.git.remote, branchRef])).stdout.split('\t')[0]?.trim() || undefined;
  // Never delete work: the hub's branch must be contained in the tip being squashed.
  const branchOnHub = async (): Promise<boolean> => {
    const hubTip = await hubBranchTip();
    if (!hubTip) return false;
    const contained = tip ? await ctx.git.run(['merge-base', '--is-ancestor', hubTip, tip], { okCodes: [1, 128] }) : undefined;
    if (tip && contained?.status !== 0) {
      throw new RefusedError('hub-branch-ahead', `the hub's ${ctx.layout.branch(slug)} has commits your branch lacks`, {
        fix: `in the session's worktree: git pull --no-rebase --no-edit ${ctx.config.git.remote} ${ctx.layout.branch(slug)}, then run complete again`,
        data: { hubTip },
      });
    }
    return true;
  };
  let deleteBranch = false;
  const removedRefs: string[] = [];
  if (isRefsMode(ctx.config)) {
    const viaRefs = await completeViaRefs(ctx, {
      slug,
      tip,
      runner,
      now,
      ...(options.message ? { message: options.message } : {}),
      ...(options.notes ? { notes: options.notes } : {}),
      ...(options.type ? { type: options.type } : {}),
      ...(options.takeOver && reason ? { takeOver: { reason } } : {}),
    });
    if (!viaRefs.merged) {
      const built = viaRefs.built!;
      return {
        slug,
        state: 'pull-request',
        pullRequest: {
          branch: viaRefs.branch,
          into: ctx.config.git.mainBranch,
          commit: built.commit,
          claimCommit: viaRefs.claimCommit!,
          // The title a merge commit takes (the forge setting in docs/hosting.md): a header main accepts.
          title: (await ctx.git.run(['log', '-1', '--format=%s', built.commit])).stdout.trim(),
        },
        resumed: false,
        patch: built.patchPath,
        type: built.type,
        overrides: built.overrides,
        ...(built.kbSlug ? { kbSession: built.kbSlug } : {}),
        removed: [],
        localMain: await syncLocalMain(ctx, viaRefs.main),
        attempts: viaRefs.attempts,
      };
    }
  }
  const done = isRefsMode(ctx.config)
    ? { main: await fetchHubMain(target), value: undefined, commit: undefined, attempts: 1 }
    : await runHubTransaction<CompletionBuild | undefined>(target, async (main) => {
    const state = await stateOn(ctx.git, main, ctx.layout, slug);
    if (state === 'completed') return { done: true, value: undefined };
    if (state !== 'active') throw await wrongStateOnHub(ctx.git, main, ctx.layout, slug, state, ['active'], 'complete');
    // Completion belongs to the holder: the checkout whose claim token the hub recorded.
    const verdict = await assertHolder(ctx.git, ctx.root, ctx.layout, main, slug, 'complete', { ...(options.takeOver ? { takeOver: true } : {}), email: runner.email });
    deleteBranch = await branchOnHub();
    if (!tip) {
      throw new RefusedError('no-session-branch', `no local branch ${ctx.layout.branch(slug)} to complete`, {
        fix: `fetch it first: git fetch ${ctx.config.git.remote} ${ctx.layout.branch(slug)}:${ctx.layout.branch(slug)}`,
      });
    }
    const holder = verdict.holder;
    const identity = verdict.by === 'take-over' ? runner : { name: holder.name || runner.name, email: holder.email || runner.email };
    const built = await buildCompletion(ctx, {
      slug,
      main,
      tip,
      identity,
      now,
      ...(options.message ? { message: options.message } : {}),
      ...(options.notes ? { notes: options.notes } : {}),
      ...(options.type ? { type: options.type } : {}),
      ...(verdict.by === 'take-over' ? { takeOver: { reason: reason!, from: `${holder.name ?? '?'} <${holder.email ?? '?'}>` } } : {}),
    });
    await faultPoint('complete:before-push');
    return { commit: built.commit, refs: deleteBranch ? [{ ref: branchRef, sha: undefined }] : [], value: built };
  });
  if (isRefsMode(ctx.config)) removedRefs.push(...(await dropLeftovers(ctx, slug, done.main)));
  await faultPoint('complete:after-push');
  const localMain = await syncLocalMain(ctx, done.main);
  await faultPoint('complete:after-local-main');
  // What the hub's record contains: the tip this run squashed, or (a resumed run) the
  // Session-tip trailers of the completion commit already on the hub.
  const built = done.value;
  const kept = built ? [built.tip] : sessionTipsOf((await home.run(['log', '-1', '--format=%B', done.main, '--', `${ctx.layout.rel.session('completed', slug)}/${slug}.patch`])).stdout);
  const guard = await guardCleanup(ctx, home, slug, tip, kept, 'complete');
  const removed = [...removedRefs, ...(await removeSessionCheckout(ctx, slug))];
  dropToken(ctx.root, slug);
  await faultPoint('complete:after-cleanup');
  if (clone && existsSync(clone)) {
    safeRemove(mainRootOf(ctx), clone);
    removed.push(clone);
  }
  // A resumed run (or a branch that appeared after the push) deletes the hub's copy only when
  // the completion contains it: otherwise it is someone's work and stays on the hub.
  const notes: string[] = [];
  if (done.commit && deleteBranch) {
    removed.push(`${ctx.config.git.remote}/${ctx.layout.branch(slug)}`);
  } else {
    const hubTip = await hubBranchTip();
    if (hubTip) {
      await home.run(['fetch', '-q', '--no-tags', ctx.config.git.remote, `+${branchRef}:refs/remotes/${ctx.config.git.remote}/${ctx.layout.branch(slug)}`], { okCodes: [1, 128] });
      const outside = await home.run(['log', '--format=%H', '--ignore-missing', hubTip, '--not', `refs/remotes/${ctx.config.git.remote}/${ctx.config.git.mainBranch}`, ...kept, '--'], { okCodes: [128] });
      if (outside.status === 0 && outside.stdout.trim() === '') {
        await home.run(['push', '-q', ctx.config.git.remote, `:${branchRef}`]);
        removed.push(`${ctx.config.git.remote}/${ctx.layout.branch(slug)}`);
      } else {
        notes.push(`the hub's ${ctx.layout.branch(slug)} holds commits the completion does not contain; it stays on the hub`);
      }
    }
  }
  // The remote-tracking ref goes with the hub's branch (a branch kept on the hub keeps it).
  if (notes.length === 0) await home.run(['update-ref', '-d', `refs/remotes/${ctx.config.git.remote}/${ctx.layout.branch(slug)}`], { okCodes: [1] });
  return {
    slug,
    state: 'completed',
    ...(done.commit ? { commit: done.commit } : {}),
    resumed: !done.commit,
    ...(built ? { patch: built.patchPath, type: built.type, overrides: built.overrides } : {}),
    ...(built?.kbSlug ? { kbSession: built.kbSlug } : {}),
    ...(guard.backup ? { backupRef: guard.backup } : {}),
    removed,
    localMain: notes.length ? { ...localMain, note: [localMain.note, ...notes].filter(Boolean).join('; ') } : localMain,
    attempts: done.attempts,
  };
}

export const command: Command<CompleteOptions, CompleteResult> = {
  run: complete,
  text: (r) =>
    [
      r.pullRequest
        ? `Offered ${r.slug} for review: open a pull request from ${r.pullRequest.branch} into ${r.pullRequest.into} titled "${r.pullRequest.title}" and merge it with a merge commit or a rebase, never a squash (its two commits, claim then completion, are what main's rules accept). If ${r.pullRequest.into} moves first, run \`agent-sessions complete ${r.slug}\` again to rebuild it; once merged, run it again to clean up.`
        : r.resumed ? `${r.slug} was already completed on the hub; finished the clean-up.` : `Completed ${r.slug}: squash commit ${r.commit!.slice(0, 8)} is on the hub's main.`,
      ...(r.patch ? [`Patch: ${r.patch}`] : []),
      ...(r.overrides?.length ? [`Carried ${r.overrides.length} OVERRIDE commit(s): ${r.overrides.map((o) => o.slice(0, 8)).join(', ')} (named in the commit's Override trailers).`] : []),
      ...(r.backupRef ? [`Commits the hub does not have are kept in ${r.backupRef} (git branch <name> ${r.backupRef} to work on them).`] : []),
      ...(r.kbSession ? [`Learnings to merge: planned/${r.kbSession} (claim it with \`agent-sessions claim ${r.kbSession}\`).`] : []),
      ...(r.removed.length ? [`Removed: ${r.removed.join(', ')}`] : []),
      ...(r.localMain.note ? [`note: ${r.localMain.note}`] : []),
    ].join('\n'),
};
