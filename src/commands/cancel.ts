// `agent-sessions cancel <slug>`: drafting|planned -> abandoned, as ONE commit pushed to the
// hub. It is pushed (not just committed) because it races with claim: if an agent claims
// the session first, cancel loses with exit 3.
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions } from '../context.ts';
import { UsageError } from '../errors.ts';
import { gitSafeName, resolveIdentity } from '../hub/identity.ts';
import { syncLocalMain, type LocalMainSync } from '../hub/local.ts';
import { stateOn, wrongStateOnHub } from '../hub/state.ts';
import { runHubTransaction } from '../hub/transaction.ts';
import { commitTree, editTree } from '../hub/tree.ts';
import { assertSlug } from '../slug.ts';
import type { SessionState } from '../states.ts';
import { hubTarget } from './claim.ts';
import { isRefsMode } from '../hub/claim-refs.ts';
import { cancelViaRefs } from '../hub/complete-refs.ts';

export interface CancelOptions extends CommonOptions {
  slug: string;
  reason?: string;
  /** Accepted like new/ready/unready --push; cancel always goes through the hub. */
  push?: boolean;
}

export interface CancelResult {
  slug: string;
  from?: SessionState;
  state: 'abandoned';
  commit?: string;
  resumed: boolean;
  localMain: LocalMainSync;
  /** Refs hub mode: the branch whose pull request records the cancellation on main. */
  pullRequest?: { branch: string; into: string };
}

export async function cancel(options: CancelOptions): Promise<CancelResult> {
  const slug = assertSlug(options.slug);
  const reason = options.reason?.replace(/\s+/g, ' ').trim();
  if (options.reason !== undefined && !reason) throw new UsageError('no-reason', '--reason is empty', { fix: 'give a reason or drop --reason' });
  const ctx = await openRepo(options);
  const identity = await resolveIdentity(ctx.git, {});
  const buildOn = async (main: string) => {
    const state = await stateOn(ctx.git, main, ctx.layout, slug);
    if (state === 'abandoned') return { done: true as const, value: undefined };
    if (state !== 'drafting' && state !== 'planned') throw await wrongStateOnHub(ctx.git, main, ctx.layout, slug, state, ['drafting', 'planned'], 'cancel');
    const from = ctx.layout.rel.session(state, slug);
    const tree = await editTree(ctx.git, `${main}^{tree}`, { moves: [{ from, to: ctx.layout.rel.session('abandoned', slug) }] });
    const message = `[${slug}] chore: cancel session (${state} -> abandoned)\n${reason ? `\nReason: ${reason}\n` : ''}`;
    const commit = await commitTree(ctx.git, tree, [main], message, { name: gitSafeName(identity.name), email: identity.email });
    return { commit, value: state };
  };
  // Refs mode: main is only read; the cancellation is offered as a pull-request branch.
  const viaRefs = isRefsMode(ctx.config) ? await cancelViaRefs(ctx, slug, buildOn) : undefined;
  const done = viaRefs ? { main: viaRefs.main, commit: viaRefs.commit, value: viaRefs.value } : await runHubTransaction<SessionState | undefined>(hubTarget(ctx), buildOn);
  const localMain = await syncLocalMain(ctx, done.main);
  return {
    slug,
    ...(done.value ? { from: done.value } : {}),
    state: 'abandoned',
    ...(done.commit ? { commit: done.commit } : {}),
    resumed: !done.commit,
    ...(viaRefs?.commit ? { pullRequest: { branch: viaRefs.branch, into: ctx.config.git.mainBranch } } : {}),
    localMain,
  };
}

export const command: Command<CancelOptions, CancelResult> = {
  run: cancel,
  text: (r) =>
    [
      r.pullRequest
        ? `Cancelled ${r.slug}: merge the pull request from ${r.pullRequest.branch} into ${r.pullRequest.into} (a merge commit or a rebase) to record it.`
        : r.resumed ? `${r.slug} was already abandoned on the hub.` : `Cancelled ${r.slug}: ${r.from} -> abandoned (commit ${r.commit!.slice(0, 8)} on the hub's main).`,
      ...(r.localMain.note ? [`note: ${r.localMain.note}`] : []),
    ].join('\n'),
};
