// `agent-sessions complete <slug>`: squash-merge session/<slug> into the hub's main as ONE
// commit that also archives the session (src/hub/completion.ts), push it (retrying on a
// moved main), then remove the worktree and the branch, locally and on the hub.
// Resumable: each step checks whether it is already done, so a run killed at any point is
// finished by running the command again.
import { existsSync, rmSync } from 'node:fs';
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions, type RepoContext } from '../context.ts';
import { RefusedError } from '../errors.ts';
import { faultPoint } from '../faults.ts';
import { Git } from '../git.ts';
import { buildCompletion, type CompletionBuild } from '../hub/completion.ts';
import { clonePath, listWorktrees, mainRootOf, removeSessionCheckout, syncLocalMain, worktreePath, type LocalMainSync } from '../hub/local.ts';
import { holderOn, stateOn, wrongStateOnHub } from '../hub/state.ts';
import { hubTarget, runHubTransaction } from '../hub/transaction.ts';
import { assertSlug } from '../slug.ts';
// Registers drift.md with the completion commit (completionExtras).
import './drift.ts';

export interface CompleteOptions extends CommonOptions {
  slug: string;
  message?: string;
  notes?: string;
  now?: Date;
}

export interface CompleteResult {
  slug: string;
  state: 'completed';
  /** The completion commit on the hub's main. */
  commit?: string;
  /** True when the hub already had the completion (a resumed run). */
  resumed: boolean;
  patch?: string;
  kbSession?: string;
  removed: string[];
  localMain: LocalMainSync;
  attempts: number;
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
    await git.run(['fetch', '-q', '--no-tags', checkout, `+refs/heads/${branch}:refs/heads/${branch}`]);
  }
  const tip = (await git.run(['rev-parse', '-q', '--verify', `refs/heads/${branch}^{commit}`], { okCodes: [1] })).stdout.trim();
  return { ...(tip ? { tip } : {}), ...(checkout ? { checkout } : {}), ...(!worktree && checkout ? { clone: checkout } : {}) };
}

export async function complete(options: CompleteOptions): Promise<CompleteResult> {
  const slug = assertSlug(options.slug);
  const ctx = await openRepo(options);
  // Resolved now: once the worktree is removed, a command run inside it cannot find it.
  const home = new Git(mainRootOf(ctx));
  const { tip, clone } = await sessionTip(ctx, slug);
  const target = hubTarget(ctx);
  const now = options.now ?? new Date();
  // The hub's copy of the branch (there since the claim) is deleted in the same atomic push:
  // one push, one pre-push hook run, and no window where main has the work but the branch lingers.
  const branchRef = `refs/heads/${ctx.layout.branch(slug)}`;
  // Never delete work: the hub's branch must be contained in the tip being squashed.
  const branchOnHub = async (): Promise<boolean> => {
    const hubTip = (await ctx.git.run(['ls-remote', ctx.config.git.remote, branchRef])).stdout.split('\t')[0]?.trim();
    if (!hubTip) return false;
    const contained = tip ? await ctx.git.run(['merge-base', '--is-ancestor', hubTip, tip], { okCodes: [1, 128] }) : undefined;
    if (tip && contained?.status !== 0) {
      throw new RefusedError('hub-branch-ahead', `the hub's ${ctx.layout.branch(slug)} has commits your branch lacks`, {
        fix: `in the session's worktree: git pull ${ctx.config.git.remote} ${ctx.layout.branch(slug)}, then run complete again`,
        data: { hubTip },
      });
    }
    return true;
  };
  let deleteBranch = await branchOnHub();
  const done = await runHubTransaction<CompletionBuild | undefined>(target, async (main, attempt) => {
    if (attempt > 1) deleteBranch = await branchOnHub();
    const state = await stateOn(ctx.git, main, ctx.layout, slug);
    if (state === 'completed') return { done: true, value: undefined };
    if (state !== 'active') throw await wrongStateOnHub(ctx.git, main, ctx.layout, slug, state, ['active'], 'complete');
    if (!tip) {
      throw new RefusedError('no-session-branch', `no local branch ${ctx.layout.branch(slug)} to complete`, {
        fix: `fetch it first: git fetch ${ctx.config.git.remote} ${ctx.layout.branch(slug)}:${ctx.layout.branch(slug)}`,
      });
    }
    const identity = (await holderOn(ctx.git, main, ctx.layout, 'active', slug)) ?? {};
    const fallback = (await ctx.git.run(['var', 'GIT_AUTHOR_IDENT'])).stdout.replace(/\s*<.*$/s, '');
    const built = await buildCompletion(ctx, {
      slug,
      main,
      tip,
      identity: { name: identity.name || fallback, email: identity.email || 'agent@localhost' },
      now,
      ...(options.message ? { message: options.message } : {}),
      ...(options.notes ? { notes: options.notes } : {}),
    });
    await faultPoint('complete:before-push');
    return { commit: built.commit, refs: deleteBranch ? [{ ref: branchRef, sha: undefined }] : [], value: built };
  });
  await faultPoint('complete:after-push');
  const localMain = await syncLocalMain(ctx, done.main);
  await faultPoint('complete:after-local-main');
  const removed = await removeSessionCheckout(ctx, slug);
  await faultPoint('complete:after-cleanup');
  if (clone && existsSync(clone)) {
    rmSync(clone, { recursive: true, force: true });
    removed.push(clone);
  }
  // A resumed run (or a branch that appeared after the push) still deletes the hub's copy:
  // its change lives on main now. (From the main worktree: the command may have been run
  // inside the worktree just removed.)
  if (done.commit && deleteBranch) {
    removed.push(`${ctx.config.git.remote}/${ctx.layout.branch(slug)}`);
  } else if ((await home.run(['ls-remote', ctx.config.git.remote, branchRef])).stdout.trim()) {
    await home.run(['push', '-q', ctx.config.git.remote, `:${branchRef}`]);
    removed.push(`${ctx.config.git.remote}/${ctx.layout.branch(slug)}`);
  }
  await home.run(['update-ref', '-d', `refs/remotes/${ctx.config.git.remote}/${ctx.layout.branch(slug)}`], { okCodes: [1] });
  const built = done.value;
  return {
    slug,
    state: 'completed',
    ...(done.commit ? { commit: done.commit } : {}),
    resumed: !done.commit,
    ...(built ? { patch: built.patchPath } : {}),
    ...(built?.kbSlug ? { kbSession: built.kbSlug } : {}),
    removed,
    localMain,
    attempts: done.attempts,
  };
}

export const command: Command<CompleteOptions, CompleteResult> = {
  run: complete,
  text: (r) =>
    [
      r.resumed ? `${r.slug} was already completed on the hub; finished the clean-up.` : `Completed ${r.slug}: squash commit ${r.commit!.slice(0, 8)} is on the hub's main.`,
      ...(r.patch ? [`Patch: ${r.patch}`] : []),
      ...(r.kbSession ? [`Learnings to merge: planned/${r.kbSession} (claim it with \`agent-sessions claim ${r.kbSession}\`).`] : []),
      ...(r.removed.length ? [`Removed: ${r.removed.join(', ')}`] : []),
      ...(r.localMain.note ? [`note: ${r.localMain.note}`] : []),
    ].join('\n'),
};
