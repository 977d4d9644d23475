// `agent-sessions drift <slug>`: prints the drift report of an active session (its branch
// against main) or of a completed one (its drift.md, else recomputed from the archive).
// Also registers drift.md with the completion commit (src/hub/completion.ts).
import { join } from 'node:path';
import type { Command } from '../cli/command.ts';
import { openRepo, type CommonOptions, type RepoContext } from '../context.ts';
import { renderDrift, summarizeDrift, type DriftCommit, type DriftInput, type DriftSummary } from '../drift.ts';
import { RefusedError, UsageError } from '../errors.ts';
import type { Git } from '../git.ts';
import { completionExtras, type CompletionFacts } from '../hub/completion.ts';
import { readBlob } from '../hub/tree.ts';
import { parseLockFile } from '../lockfile.ts';
import { readRepoText } from '../safe-fs.ts';
import { requireSession } from '../sessions.ts';
import { assertSlug } from '../slug.ts';

export interface DriftOptions extends CommonOptions {
  slug: string;
}

export interface DriftResult {
  slug: string;
  state: string;
  /** Where the report came from: the session branch, or the archived drift.md. */
  source: string;
  markdown: string;
  summary?: DriftSummary;
}

async function commitsBetween(git: Git, base: string, tip: string): Promise<DriftCommit[]> {
  const out = await git.run(['log', '--no-merges', '--format=%H%x1f%ct%x1f%s', `${base}..${tip}`]);
  return out.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [hash, time, subject] = line.split('\x1f');
      return { hash: hash!, time: Number(time), subject: subject ?? '' };
    });
}

/** The drift input of an active session: its folder as `treeish` has it, its change as base...tip. */
export async function collectDrift(ctx: RepoContext, slug: string, base: string, tip: string, treeish: string, endedAt?: number): Promise<DriftInput> {
  const { git, layout } = ctx;
  const dir = layout.rel.session('active', slug);
  const read = (name: string) => readBlob(git, treeish, `${dir}/${name}`);
  const [sessionMd, activePlan, worklog, subsessions, lockText] = await Promise.all([read('SESSION.md'), read('active-plan.md'), read('worklog.md'), read('subsessions.md'), readBlob(git, base, layout.rel.lockFile)]);
  const files = (await git.run(['diff', '--name-only', '--no-renames', `${base}...${tip}`])).stdout
    .split('\n')
    .filter((f) => f && !f.startsWith(`${dir}/`));
  let claimedAt: number | undefined;
  try {
    claimedAt = parseLockFile(lockText ?? '').find((e) => e.slug === slug)?.claimedAt;
  } catch {
    /* a broken lock file: no claim time */
  }
  return {
    slug,
    sessionMd: sessionMd ?? '',
    ...(activePlan !== undefined ? { activePlan } : {}),
    ...(worklog !== undefined ? { worklog } : {}),
    ...(subsessions !== undefined ? { subsessions } : {}),
    files,
    commits: await commitsBetween(git, base, tip),
    ...(claimedAt !== undefined ? { claimedAt } : {}),
    ...(endedAt !== undefined ? { endedAt } : {}),
  };
}

// complete: drift.md joins the completion commit, computed on the squash it is about to make.
completionExtras.push(async (facts: CompletionFacts) => {
  // Refs mode: the work counts from the session's claim commit, not from main.
  const input = await collectDrift(facts.ctx, facts.slug, facts.since ?? facts.main, facts.tip, facts.mergedTree, Math.floor(facts.now.getTime() / 1000));
  return [{ path: `${facts.completedDir}/drift.md`, content: renderDrift(input) }];
});

async function resolveRef(git: Git, candidates: string[]): Promise<string | undefined> {
  for (const ref of candidates) {
    const out = await git.run(['rev-parse', '-q', '--verify', `${ref}^{commit}`], { okCodes: [1, 128] });
    if (out.status === 0) return out.stdout.trim();
  }
  return undefined;
}

export async function drift(options: DriftOptions): Promise<DriftResult> {
  const slug = assertSlug(options.slug);
  const ctx = await openRepo(options);
  // Refs mode: main (and a checkout of it) has a claimed session planned until its pull request is merged.
  const refs = ctx.config.git.hubMode === 'refs';
  const session = requireSession(ctx.layout, slug, refs ? ['active', 'completed', 'planned'] : ['active', 'completed']);
  if (session.state === 'completed') {
    const file = join(ctx.layout.abs(session.dir), 'drift.md');
    const markdown = readRepoText(ctx.root, file); // a pushed drift.md: no link, FIFO or device, bounded
    if (markdown !== undefined) return { slug, state: 'completed', source: `${session.dir}/drift.md`, markdown };
    throw new RefusedError('no-drift-report', `${slug} was completed without a drift report`, { fix: `read ${session.dir}/${slug}.patch and its worklog.md instead` });
  }
  const { remote, mainBranch } = ctx.config.git;
  const branch = ctx.layout.branch(slug);
  const tip = await resolveRef(ctx.git, [`refs/heads/${branch}`, `refs/remotes/${remote}/${branch}`]);
  if (!tip) {
    throw new UsageError('no-session-branch', `no branch ${branch} here (nor ${remote}/${branch})`, { fix: `git fetch ${remote} ${branch}, then run drift again` });
  }
  const main = (await resolveRef(ctx.git, [`refs/remotes/${remote}/${mainBranch}`, `refs/heads/${mainBranch}`]))!;
  // Refs mode: from the branch's first commit off main, its claim (lock line, session files).
  const claim = refs ? (await ctx.git.run(['rev-list', '--first-parent', tip, `^${main}`])).stdout.trim().split('\n').filter(Boolean).pop() : undefined;
  if (refs && session.state === 'planned' && !claim) {
    throw new RefusedError('not-active', `${slug} is planned and ${branch} holds no claim of it`, { fix: `claim it first: agent-sessions claim ${slug}` });
  }
  const input = await collectDrift(ctx, slug, claim ?? main, tip, tip);
  return { slug, state: 'active', source: branch, markdown: renderDrift(input), summary: summarizeDrift(input) };
}

export const command: Command<DriftOptions, DriftResult> = {
  run: drift,
  text: (r) => r.markdown.trimEnd(),
};
