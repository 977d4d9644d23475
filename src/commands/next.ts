// `agent-sessions next [--match GLOB] [--claim]`: parses, calls src/hub/next.ts and reports:
// the oldest planned session on the hub's main that fits; with --claim, claimed (a lost race
// moves on to the next one; none left: exit 3).
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions } from '../context.ts';
import { UsageError } from '../errors.ts';
import type { ClaimResult } from '../hub/checkout.ts';
import { resolveIdentity, type IdentityOptions } from '../hub/identity.ts';
import { claimNext, peekNext } from '../hub/next.ts';
import { claimText } from './claim.ts';

export { orderCandidates } from '../hub/next.ts';

export interface NextOptions extends CommonOptions, IdentityOptions {
  match?: string;
  claim?: boolean;
  clone?: boolean;
  now?: Date;
}

export interface NextResult {
  /** The session chosen (and claimed, with --claim). */
  slug?: string;
  /** Every planned session that fits, oldest first, as seen on the hub's main. */
  candidates: string[];
  claimed?: ClaimResult;
}

export async function next(options: NextOptions = {}): Promise<NextResult> {
  if (options.match !== undefined && options.match.trim() === '') throw new UsageError('bad-match', '--match needs a glob', { fix: 'e.g. --match "*-auth-*"' });
  if (!options.claim && (options.agentName || options.agentEmail || options.clone)) {
    throw new UsageError('usage', '--agent-name, --agent-email and --clone go with --claim', { fix: 'add --claim, or drop them' });
  }
  const ctx = await openRepo(options);
  if (!options.claim) return peekNext(ctx, options.match);
  const identity = await resolveIdentity(ctx.git, options);
  return claimNext(ctx, identity, { ...(options.match ? { match: options.match } : {}), ...(options.clone ? { clone: true } : {}), ...(options.now ? { now: options.now } : {}) });
}

export const command: Command<NextOptions, NextResult> = {
  run: next,
  text: (r) => (r.claimed ? claimText(r.claimed) : `Next: ${r.slug}${r.candidates.length > 1 ? ` (${r.candidates.length - 1} more planned after it)` : ''}\nClaim it: agent-sessions claim ${r.slug}`),
};
