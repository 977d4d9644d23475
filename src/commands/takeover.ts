// `agent-sessions claim --take-over <slug> --reason <text>`: parses and calls the take-over
// transaction (src/hub/takeover.ts); claim's command reports it.
import { openRepo, type CommonOptions } from '../context.ts';
import { UsageError } from '../errors.ts';
import { resolveIdentity, type IdentityOptions } from '../hub/identity.ts';
import { takeOverOnHub, type TakeOverResult } from '../hub/takeover.ts';
import { assertSlug } from '../slug.ts';

export { archiveRefName, type TakeOverResult } from '../hub/takeover.ts';

export interface TakeOverOptions extends CommonOptions, IdentityOptions {
  slug: string;
  clone?: boolean;
  reason?: string;
  now?: Date;
}

export async function takeOver(options: TakeOverOptions): Promise<TakeOverResult> {
  const slug = assertSlug(options.slug);
  const reason = (options.reason ?? '').replace(/\s+/g, ' ').trim();
  if (!reason) {
    throw new UsageError('no-reason', 'a take-over needs a reason', { fix: `run: agent-sessions claim ${slug} --take-over --reason "<why the holder is gone>"` });
  }
  if (options.clone) throw new UsageError('take-over-clone', '--take-over works in a worktree only', { fix: 'drop --clone' });
  const ctx = await openRepo(options);
  const identity = await resolveIdentity(ctx.git, options);
  return takeOverOnHub(ctx, { slug, reason, identity, ...(options.now ? { now: options.now } : {}) });
}
