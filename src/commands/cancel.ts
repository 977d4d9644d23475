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
}

export async function cancel(options: CancelOptions): Promise<CancelResult> {
  const slug = assertSlug(options.slug);
  const reason = options.reason?.replace(/\s+/g, ' ').trim();
  if (options.reason !== undefined && !reason) throw new UsageError('no-reason', '--reason is empty', { fix: 'give a reason or drop --reason' });
  const ctx = await openRepo(options);
  const identity = await resolveIdentity(ctx.git, {});
  const done = await runHubTransaction<SessionState | undefined>(hubTarget(ctx), async (main) => {
    const state = await stateOn(ctx.git, main, ctx.layout, slug);
    if (state === 'abandoned') return { done: true, value: undefined };
    if (state !== 'drafting' && state !== 'planned') throw await wrongStateOnHub(ctx.git, main, ctx.layout, slug, state, ['drafting', 'planned'], 'cancel');
    const from = ctx.layout.rel.session(state, slug);
    const tree = await editTree(ctx.git, `${main}^{tree}`, { moves: [{ from, to: ctx.layout.rel.session('abandoned', slug) }] });
    const message = `[${slug}] chore: cancel session (${state} -> abandoned)\n${reason ? `\nReason: ${reason}\n` : ''}`;
    const commit = await commitTree(ctx.git, tree, [main], message, { name: gitSafeName(identity.name), email: identity.email });
    return { commit, value: state };
  });
  const localMain = await syncLocalMain(ctx, done.main);
  return {
    slug,
    ...(done.value ? { from: done.value } : {}),
    state: 'abandoned',
    ...(done.commit ? { commit: done.commit } : {}),
    resumed: !done.commit,
    localMain,
  };
}

export const command: Command<CancelOptions, CancelResult> = {
  run: cancel,
  text: (r) =>
    [
      r.resumed ? `${r.slug} was already abandoned on the hub.` : `Cancelled ${r.slug}: ${r.from} -> abandoned (commit ${r.commit!.slice(0, 8)} on the hub's main).`,
      ...(r.localMain.note ? [`note: ${r.localMain.note}`] : []),
    ].join('\n'),
};
