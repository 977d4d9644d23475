// `agent-sessions next [--match GLOB] [--claim]`: the oldest planned session on the hub's
// main that fits. With --claim it claims it; when another agent wins that one, the retry
// (fetch, rebuild) simply picks the oldest session still planned, until one is won or none
// is left (exit 3).
import { existsSync } from 'node:fs';
import micromatch from 'micromatch';
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions, type RepoContext } from '../context.ts';
import { LostRaceError, RefusedError, UsageError } from '../errors.ts';
import { resolveIdentity, type IdentityOptions } from '../hub/identity.ts';
import { clonePath, worktreePath } from '../hub/local.ts';
import { sessionsIn } from '../hub/state.ts';
import { fetchHubMain } from '../hub/transaction.ts';
import { parseSessionMd } from '../session-md.ts';
import { parseSlug } from '../slug.ts';
import { claimOnHub, claimText, hubTarget, type ClaimResult } from './claim.ts';

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

/** `created` of each SESSION.md, read in ONE `cat-file --batch`; cached across attempts. */
async function createdOf(ctx: RepoContext, main: string, slugs: readonly string[], cache: Map<string, string>): Promise<void> {
  const missing = slugs.filter((s) => !cache.has(s));
  if (missing.length === 0) return;
  const input = missing.map((s) => `${main}:${ctx.layout.rel.session('planned', s)}/SESSION.md\n`).join('');
  const out = (await ctx.git.run(['cat-file', '--batch'], { input })).stdout;
  let at = 0;
  for (const slug of missing) {
    const nl = out.indexOf('\n', at);
    const header = out.slice(at, nl).split(' ');
    at = nl + 1;
    if (header[1] !== 'blob') {
      cache.set(slug, '');
      continue;
    }
    const size = Number(header[2]);
    cache.set(slug, parseSessionMd(out.slice(at, at + size)).frontMatter.created ?? '');
    at += size + 1;
  }
}

/** Oldest first: the slug's date, then `created` from the front matter, then the name. */
export function orderCandidates(slugs: readonly string[], created: ReadonlyMap<string, string>): string[] {
  const dateOf = (s: string) => parseSlug(s).date;
  return [...slugs].sort((a, b) => dateOf(a).localeCompare(dateOf(b)) || (created.get(a) ?? '').localeCompare(created.get(b) ?? '') || a.localeCompare(b));
}

async function candidatesOn(ctx: RepoContext, main: string, match: string | undefined, cache: Map<string, string>): Promise<string[]> {
  const planned = await sessionsIn(ctx.git, main, ctx.layout, 'planned');
  const fitting = match ? planned.filter((s) => micromatch.isMatch(s, match)) : planned;
  await createdOf(ctx, main, fitting, cache);
  return orderCandidates(fitting, cache);
}

export async function next(options: NextOptions = {}): Promise<NextResult> {
  if (options.match !== undefined && options.match.trim() === '') throw new UsageError('bad-match', '--match needs a glob', { fix: 'e.g. --match "*-auth-*"' });
  if (!options.claim && (options.agentName || options.agentEmail || options.clone)) {
    throw new UsageError('usage', '--agent-name, --agent-email and --clone go with --claim', { fix: 'add --claim, or drop them' });
  }
  const ctx = openRepo(options);
  const cache = new Map<string, string>();
  const none = () =>
    new LostRaceError('none-left', `no planned session${options.match ? ` matching ${options.match}` : ''} is left on the hub's main`, {
      fix: 'run `agent-sessions status` to see the sessions; a planner may need to `ready` and push more',
      data: { match: options.match ?? null },
    });
  if (!options.claim) {
    const main = await fetchHubMain(hubTarget(ctx));
    const candidates = await candidatesOn(ctx, main, options.match, cache);
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
    async (main) => (seen = (await candidatesOn(ctx, main, options.match, cache)).filter(usable)),
    async (view) => {
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
