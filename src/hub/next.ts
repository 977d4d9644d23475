// Which planned session `next` takes, and the claim of it: the oldest planned session on the
// hub's main that fits. With a claim, a lost race simply re-chooses on the new main (the
// oldest session still planned) until one is won or none is left (exit 3).
import { existsSync } from 'node:fs';
import type { RepoContext } from '../context.ts';
import { compareCodeUnits } from '../compare.ts';
import { BlobReader } from '../engine/blob-reader.ts';
import { LostRaceError, RefusedError } from '../errors.ts';
import { parseSessionMd } from '../session-md.ts';
import { parseSlug } from '../slug.ts';
import type { ClaimResult } from './checkout.ts';
import { claimOnHub, viewOf, type ClaimView } from './claim.ts';
import { clonePath, worktreePath } from './local.ts';
import { fetchHubMain, hubTarget } from './transaction.ts';
import { fetchHubClaims, isRefsMode } from './claim-refs.ts';
import type { Identity } from './tree.ts';
import { TreeBuilder } from './tree-builder.ts';

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

export interface NextChoice {
  slug?: string;
  candidates: string[];
  claimed?: ClaimResult;
}

/** The planned sessions that fit `match` on the hub's main, oldest first (none: exit 1). */
export async function peekNext(ctx: RepoContext, match: string | undefined): Promise<NextChoice> {
  const cache = new Map<string, string>();
  // Refs mode: main and the claim refs in one fetch; a claimed planned session is active.
  const { main, claims } = isRefsMode(ctx.config) ? await fetchHubClaims(hubTarget(ctx)) : { main: await fetchHubMain(hubTarget(ctx)), claims: undefined };
  // The same view of main as a claim attempt's (its git processes start only if used).
  const blobs = new BlobReader(ctx.git.cwd);
  const trees = new TreeBuilder(ctx.git.cwd, blobs);
  let candidates: string[];
  try {
    candidates = await candidatesIn(await viewOf(ctx, main, blobs, trees, claims), ctx, match, cache);
  } finally {
    blobs.close();
    trees.close();
  }
  if (candidates.length === 0) {
    throw new RefusedError('none-planned', `no planned session${match ? ` matching ${match}` : ''} on the hub's main`, {
      fix: 'run `agent-sessions status`; a planner may need to `ready` and push more',
    });
  }
  return { slug: candidates[0], candidates };
}

/** Claims the oldest planned session that fits, moving on after each lost race. */
export async function claimNext(ctx: RepoContext, identity: Identity, options: { match?: string; clone?: boolean; now?: Date }): Promise<NextChoice> {
  const cache = new Map<string, string>();
  const none = () =>
    new LostRaceError('none-left', `no planned session${options.match ? ` matching ${options.match}` : ''} is left on the hub's main`, {
      fix: 'run `agent-sessions status` to see the sessions; a planner may need to `ready` and push more',
      data: { match: options.match ?? null },
    });
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
    {
      ...(options.clone ? { clone: true } : {}),
      ...(options.now ? { now: options.now } : {}),
      othersLeft: (view, chosen) => seen.filter((s) => s !== chosen && view.stateOf(s) === 'planned').length,
    },
  );
  return { slug: claimed.slug, candidates: seen, claimed };
}
