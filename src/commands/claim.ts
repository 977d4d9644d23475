// `agent-sessions claim <slug>`: parses, calls the claim transaction (src/hub/claim.ts) and
// reports. The push is the lock; a lost race leaves no local trace.
import { existsSync } from 'node:fs';
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions } from '../context.ts';
import { RefusedError, UsageError } from '../errors.ts';
import { readRefFile } from '../git.ts';
import { claimOnHub, holdsOn } from '../hub/claim.ts';
import type { ClaimResult } from '../hub/checkout.ts';
import { resolveIdentity, type IdentityOptions } from '../hub/identity.ts';
import { clonePath, worktreePath } from '../hub/local.ts';
import { wrongStateOnHub } from '../hub/state.ts';
import { assertSlug } from '../slug.ts';

// Kept for callers of the earlier home of these (planning commands use hubTarget).
export { hubTarget } from '../hub/transaction.ts';
export { claimOnHub, viewOf, type ClaimChooser, type ClaimView } from '../hub/claim.ts';
export { addSessionWorktree, checkedOutResult, type ClaimResult } from '../hub/checkout.ts';

export interface ClaimOptions extends CommonOptions, IdentityOptions {
  slug: string;
  clone?: boolean;
  takeOver?: boolean;
  reason?: string;
  now?: Date;
}

export async function claim(options: ClaimOptions): Promise<ClaimResult> {
  const slug = assertSlug(options.slug);
  // A take-over is its own transaction (src/hub/takeover.ts), loaded only when asked for.
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
  const branch = ctx.layout.branch(slug);
  return claimOnHub(
    ctx,
    identity,
    async (view) => {
      const state = view.stateOf(slug);
      // Active under this checkout's claim token: an interrupted claim, finished now.
      if (state === 'active' && (await holdsOn(ctx, view, slug))) return { slug, resume: true };
      if (state !== 'planned') throw await wrongStateOnHub(ctx.git, view.main, ctx.layout, slug, state, ['planned'], 'claim');
      // A local session/<slug> left from before would stop the worktree after the push.
      if (!options.clone && readRefFile(ctx.root, `refs/heads/${branch}`) !== undefined) {
        throw new RefusedError('stray-local-branch', `a local branch ${branch} already exists, though ${slug} is planned on the hub (nothing was claimed)`, {
          fix: `keep it as a backup ref and delete the branch, then claim again: git update-ref refs/agent-sessions/backup/${slug} refs/heads/${branch} && git branch -D ${branch} && agent-sessions claim ${slug}`,
          data: { slug, branch },
        });
      }
      return slug;
    },
    options,
  );
}

export function claimText(r: ClaimResult): string {
  return [
    `${r.resumed ? 'Resumed the claim of' : 'Claimed'} ${r.slug} (commit ${r.commit.slice(0, 8)} on the hub${r.attempts > 1 ? `, after ${r.attempts} attempts` : ''}).`,
    `Work in ${r.path} on ${r.branch}; commit as [${r.slug}] <type>: <description>.`,
    ...r.notes.map((n) => `note: ${n}`),
    `Activate: ${r.activate}`,
  ].join('\n');
}

export const command: Command<ClaimOptions, ClaimResult> = { run: claim, text: claimText };
