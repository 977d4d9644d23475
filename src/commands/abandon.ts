// `agent-sessions abandon <slug> --reason T`: active -> abandoned as ONE commit on the hub's
// main (reason appended to worklog.md, lock line removed), after pushing the session branch
// to the hub so the work stays on record. Then the worktree and local branch go.
import { existsSync } from 'node:fs';
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions } from '../context.ts';
import { RefusedError, UsageError } from '../errors.ts';
import { Git } from '../git.ts';
import { gitSafeName } from '../hub/identity.ts';
import { clonePath, listWorktrees, mainRootOf, removeSessionCheckout, syncLocalMain, type LocalMainSync } from '../hub/local.ts';
import { safeRemove } from '../safe-fs.ts';
import { holderOn, stateOn, wrongStateOnHub } from '../hub/state.ts';
import { fetchHubMain, hubTarget, runHubTransaction } from '../hub/transaction.ts';
import { guardCleanup } from '../hub/cleanup.ts';
import { isRefsMode } from '../hub/claim-refs.ts';
import { endViaRefs } from '../hub/complete-refs.ts';
import { assertHolder, dropToken } from '../hub/holder.ts';
import { commitTree, editTree, readBlob } from '../hub/tree.ts';
import { parseLockFile, removeLockEntry, serializeLockFile } from '../lockfile.ts';
import { assertSlug } from '../slug.ts';

export interface AbandonOptions extends CommonOptions {
  slug: string;
  reason: string;
  /** Abandon a session this checkout does not hold, on purpose (recorded in the commit). */
  takeOver?: boolean;
  now?: Date;
}

export interface AbandonResult {
  slug: string;
  state: 'abandoned';
  commit?: string;
  resumed: boolean;
  /** The session branch as kept on the hub. */
  branchOnHub?: string;
  /** Refs hub mode: the branch whose pull request records the abandonment on main. */
  pullRequest?: { branch: string; into: string };
  removed: string[];
  localMain: LocalMainSync;
  backupRef?: string;
}

export async function abandon(options: AbandonOptions): Promise<AbandonResult> {
  const slug = assertSlug(options.slug);
  const reason = (options.reason ?? '').replace(/\s+/g, ' ').trim();
  if (!reason) throw new UsageError('no-reason', 'abandon needs --reason', { fix: `agent-sessions abandon ${slug} --reason "<why>"` });
  const ctx = await openRepo(options);
  const home = new Git(mainRootOf(ctx));
  const branch = ctx.layout.branch(slug);
  const worktree = (await listWorktrees(home)).find((w) => w.branch === branch);
  const clone = clonePath(ctx, slug);
  const checkout = worktree?.path ?? (existsSync(clone) ? clone : undefined);
  if (checkout) {
    const dirty = (await new Git(checkout).run(['status', '--porcelain'])).stdout.split('\n').filter(Boolean);
    if (dirty.length) {
      throw new RefusedError('dirty-worktree', `${checkout} has uncommitted changes:\n  ${dirty.join('\n  ')}`, {
        fix: `commit them (they go to the hub with the branch, for the record) or discard them, then run abandon again`,
        data: { files: dirty.map((l) => l.slice(3)), path: checkout },
      });
    }
  }
  const target = hubTarget(ctx);
  const runnerEmail = (await ctx.git.run(['var', 'GIT_AUTHOR_IDENT'], { okCodes: [128] })).stdout.match(/<([^>]*)>/)?.[1];
  const intent = { ...(options.takeOver ? { takeOver: true } : {}), ...(runnerEmail ? { email: runnerEmail } : {}) };
  // Abandoning belongs to the holder too; asked before anything is pushed.
  const first = await fetchHubMain(target);
  if ((await stateOn(ctx.git, first, ctx.layout, slug)) === 'active') await assertHolder(ctx.git, ctx.root, ctx.layout, first, slug, 'abandon', intent);
  // The work, on record: push the session branch (never forced) before main forgets it.
  const source = !worktree && checkout ? new Git(checkout) : home;
  const tip = (await source.run(['rev-parse', '-q', '--verify', `refs/heads/${branch}^{commit}`], { okCodes: [1] })).stdout.trim();
  let branchOnHub: string | undefined;
  if (tip) {
    const url = (await ctx.git.run(['remote', 'get-url', ctx.config.git.remote])).stdout.trim();
    const pushed = await source.run(['push', '-q', url, `${tip}:refs/heads/${branch}`], { okCodes: [1, 128] });
    if (pushed.status !== 0) {
      throw new RefusedError('branch-push-refused', `the hub refused ${branch}: ${pushed.stderr.trim().split('\n').slice(-3).join(' / ')}`, {
        fix: `the hub's ${branch} has commits yours lacks: merge them into your branch (git pull in the worktree), then run abandon again`,
      });
    }
    branchOnHub = tip;
  }
  const now = options.now ?? new Date();
  const buildOn = async (main: string) => {
    const state = await stateOn(ctx.git, main, ctx.layout, slug);
    if (state === 'abandoned') return { done: true as const, value: undefined };
    if (state !== 'active') throw await wrongStateOnHub(ctx.git, main, ctx.layout, slug, state, ['active'], 'abandon');
    const verdict = await assertHolder(ctx.git, ctx.root, ctx.layout, main, slug, 'abandon', intent);
    const from = ctx.layout.rel.session('active', slug);
    const to = ctx.layout.rel.session('abandoned', slug);
    const holder = (await holderOn(ctx.git, main, ctx.layout, 'active', slug)) ?? {};
    const name = gitSafeName(holder.name ?? 'agent');
    const worklog = (await readBlob(ctx.git, main, `${from}/worklog.md`)) ?? `# Worklog: ${slug}\n`;
    const lock = (await readBlob(ctx.git, main, ctx.layout.rel.lockFile)) ?? '';
    const tree = await editTree(ctx.git, `${main}^{tree}`, {
      moves: [{ from, to }],
      writes: [
        { path: `${to}/worklog.md`, content: `${worklog}${worklog.endsWith('\n') ? '' : '\n'}- ${now.toISOString()} abandoned by ${name}: ${reason}\n` },
        { path: ctx.layout.rel.lockFile, content: serializeLockFile(removeLockEntry(parseLockFile(lock, ctx.layout.rel.lockFile), slug)) },
      ],
    });
    const takenOver = verdict.by === 'take-over' ? `\nAbandoned-by: ${runnerEmail ?? '?'} (take-over)\nTaken-over-from: ${holder.name ?? '?'} <${holder.email ?? '?'}>\n` : '';
    const message = `[${slug}] chore: abandon session (active -> abandoned)\n\nReason: ${reason}\n${tip ? `Work kept on the hub in ${branch} at ${tip}.\n` : ''}${takenOver}`;
    const commit = await commitTree(ctx.git, tree, [main], message, { name, email: holder.email || 'agent@localhost' });
    return { commit, value: undefined };
  };
  // Refs mode: the same commit, built on the claim made again on main, offered as a pull request.
  const refs = isRefsMode(ctx.config);
  const done = refs ? await endViaRefs(ctx, slug, 'abandon', buildOn) : await runHubTransaction(target, buildOn);
  const localMain = await syncLocalMain(ctx, done.main);
  // The tip was pushed above; a commit made since would be lost with the branch. A clone's
  // branch is brought here first, so that a backup ref outlives the clone.
  if (!worktree && checkout && tip) await home.run(['fetch', '-q', '--no-tags', checkout, `refs/heads/${branch}:refs/heads/${branch}`]);
  const guard = await guardCleanup(ctx, home, slug, tip || undefined, branchOnHub ? [branchOnHub] : [], 'abandon');
  const removed = await removeSessionCheckout(ctx, slug);
  dropToken(ctx.root, slug);
  if (!worktree && checkout) {
    safeRemove(mainRootOf(ctx), checkout);
    removed.push(checkout);
  }
  return {
    slug,
    state: 'abandoned',
    ...(done.commit ? { commit: done.commit } : {}),
    resumed: !done.commit,
    ...(refs && done.commit ? { pullRequest: { branch: `agent-sessions/abandon/${slug}`, into: ctx.config.git.mainBranch } } : {}),
    ...(branchOnHub ? { branchOnHub } : {}),
    ...(guard.backup ? { backupRef: guard.backup } : {}),
    removed,
    localMain,
  };
}

export const command: Command<AbandonOptions, AbandonResult> = {
  run: abandon,
  text: (r) =>
    [
      r.pullRequest
        ? `Abandoned ${r.slug}: merge the pull request from ${r.pullRequest.branch} into ${r.pullRequest.into} (a merge commit or a rebase, never a squash) to record it on ${r.pullRequest.into}.`
        : r.resumed ? `${r.slug} was already abandoned on the hub; finished the clean-up.` : `Abandoned ${r.slug} (commit ${r.commit!.slice(0, 8)} on the hub's main).`,
      ...(r.branchOnHub ? [`Its work stays on the hub in session/${r.slug} at ${r.branchOnHub.slice(0, 8)}.`] : []),
      ...(r.removed.length ? [`Removed: ${r.removed.join(', ')}`] : []),
      ...(r.localMain.note ? [`note: ${r.localMain.note}`] : []),
    ].join('\n'),
};
