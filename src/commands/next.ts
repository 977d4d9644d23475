// `agent-sessions next [--match GLOB] [--claim]`: the oldest planned session on the hub's
// main that fits. With --claim it claims it; when another agent wins that one, the retry
// (fetch, rebuild) simply picks the oldest session still planned, until one is won or none
// is left (exit 3).
import { existsSync } from 'node:fs';
import { BlobReader } from '../engine/blob-reader.ts';
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions, type RepoContext } from '../context.ts';
import { LostRaceError, RefusedError, UsageError } from '../errors.ts';
import { resolveIdentity, type IdentityOptions } from '../hub/identity.ts';
import { clonePath, worktreePath } from '../hub/local.ts';
import { TreeBuilder } from '../hub/tree-builder.ts';
import { fetchHubMain, hubTarget } from '../hub/transaction.ts';
import { claimOnHub, viewOf, type ClaimView } from '../hub/claim.ts';
import type { ClaimResult } from '../hub/checkout.ts';
import { parseSessionMd } from '../session-md.ts';
import { parseSlug } from '../slug.ts';
import { claimText } from './claim.ts';
import { compareCodeUnits } from '../compare.ts';

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

/**
 * `created` of each SESSION.md, read in ONE `cat-file --batch` request; cached by slug across
 * attempts. `ids` maps each slug to its SESSION.md blob on the commit looked at.
 */
async function createdOf(blobs: BlobReader, ids: ReadonlyMap<string, string | undefined>, cache: Map<string, string>): Promise<void> {
  const missing = [...ids].filter(([slug]) => !cache.has(slug));
  if (missing.length === 0) return;
  await blobs.fetch(missing.flatMap(([, id]) => (id ? [id] : [])));
  for (const [slug, id] of missing) {
    const text = id ? blobs.get(id) : undefined;
    cache.set(slug, text === undefined ? '' : (parseSessionMd(text).frontMatter.created ?? ''));
  }
}

/** Oldest first: the slug's date, then `created` from the front matter, then the name. */
export function orderCandidates(slugs: readonly string[], created: ReadonlyMap<string, string>): string[] {
  const dateOf = (s: string) => parseSlug(s).date;
  return [...slugs].sort((a, b) => compareCodeUnits(dateOf(a), dateOf(b)) || compareCodeUnits(created.get(a) ?? '', created.get(b) ?? '') || compareCodeUnits(a, b));
}

/** The slugs that fit the glob (micromatch loads only when a glob is given). */
async function fitting(slugs: string[], match: string | undefined): Promise<string[]> {
  if (!match) return slugs;
  const { default: micromatch } = await import('micromatch');
  return slugs.filter((s) => micromatch.isMatch(s, match));
}

/** The planned sessions of `view` that fit `match`, oldest first. */
async function candidatesIn(view: ClaimView, ctx: RepoContext, match: string | undefined, cache: Map<string, string>): Promise<string[]> {
  const fits = await fitting(view.slugsIn('planned'), match);
  const ids = new Map(fits.map((slug) => [slug, view.entries.find((e) => e.path === `${ctx.layout.rel.session('planned', slug)}/SESSION.md`)?.sha]));
  await createdOf(view.blobs, ids, cache);
  return orderCandidates(fits, cache);
}

export async function next(options: NextOptions = {}): Promise<NextResult> {
  if (options.match !== undefined && options.match.trim() === '') throw new UsageError('bad-match', '--match needs a glob', { fix: 'e.g. --match "*-auth-*"' });
  if (!options.claim && (options.agentName || options.agentEmail || options.clone)) {
    throw new UsageError('usage', '--agent-name, --agent-email and --clone go with --claim', { fix: 'add --claim, or drop them' });
  }
  const ctx = await openRepo(options);
  const cache = new Map<string, string>();
  const none = () =>
    new LostRaceError('none-left', `no planned session${options.match ? ` matching ${options.match}` : ''} is left on the hub's main`, {
      fix: 'run `agent-sessions status` to see the sessions; a planner may need to `ready` and push more',
      data: { match: options.match ?? null },
    });
  if (!options.claim) {
    const main = await fetchHubMain(hubTarget(ctx));
    // The same view of main as a claim attempt's (its git processes start only if used).
    const blobs = new BlobReader(ctx.git.cwd);
    const trees = new TreeBuilder(ctx.git.cwd);
    let candidates: string[];
    try {
      candidates = await candidatesIn(await viewOf(ctx, main, blobs, trees), ctx, options.match, cache);
    } finally {
      blobs.close();
      trees.close();
    }
    if (candidates.length === 0) {
      throw new RefusedError('none-planned', `no planned session${options.match ? ` matching ${options.match}` : ''} on the hub's main`, {
        fix: 'run `agent-sessions status`; a planner may need to `ready` and push more',
      });
    }
    return { slug: candidates[0], candidates };
  }
  const identity = await resolveIdentity(ctx.git, options);
  let seen: string[] = [];
  // A session whose worktree or clone path is already taken locally cannot be set up here.
  const usable = (slug: string) => !existsSync(options.clone ? clonePath(ctx, slug) : worktreePath(ctx, slug));
  const claimed = await claimOnHub(
    ctx,
    identity,
    async (view) => {
      seen = (await candidatesIn(view, ctx, options.match, cache)).filter(usable);
      const slug = seen.find((s) => view.stateOf(s) === 'planned');
      if (!slug) throw none();
      return slug;
    },
    options,
  );
  return { slug: claimed.slug, candidates: seen, claimed };
}

export const command: Command<NextOptions, NextResult> = {
  run: next,
  text: (r) => (r.claimed ? claimText(r.claimed) : `Next: ${r.slug}${r.candidates.length > 1 ? ` (${r.candidates.length - 1} more planned after it)` : ''}\nClaim it: agent-sessions claim ${r.slug}`),
};
