// The completion commit, built without touching any checkout: `git merge-tree --write-tree`
// squashes session/<slug> onto the hub's main, then a tree edit (tree-builder.ts) adds the
// move active -> completed, the patch, the lock line's removal, final notes and (when
// learnings were written) a kb merge session in planned/. ONE commit, one parent: a squash.
import type { RepoContext } from '../context.ts';
import { RefusedError } from '../errors.ts';
import { removeLockEntry, parseLockFile, serializeLockFile } from '../lockfile.ts';
import { classifyMessage } from '../message/header.ts';
import { appendFinalNotes } from '../session-md.ts';
import { parseSlug } from '../slug.ts';
import { STATES } from '../states.ts';
import { renderTemplate } from '../templates.ts';
import { gitSafeName } from './identity.ts';
import { commitTree, editTree, lsTree, readBlob, type FileWrite, type Identity } from './tree.ts';

export interface CompletionInput {
  slug: string;
  /** The hub's main as just fetched. */
  main: string;
  /** The tip of session/<slug>. */
  tip: string;
  identity: Identity;
  message?: string;
  notes?: string;
  /** The conventional type of the completion commit; default: chosen from the session's commits. */
  type?: string;
  /** Completed by someone other than the holder, who said so (recorded as trailers). */
  takeOver?: { reason: string; from: string };
  now: Date;
  /** Refs mode: the completion's parent (the claim rebuilt on main), when it is not main itself. */
  parent?: string;
  /** Refs mode: where the session's own work starts (its claim commit), for the patch and the commit list. */
  since?: string;
}

export interface CompletionFacts extends CompletionInput {
  ctx: RepoContext;
  /** The squashed tree (main + the session's change), before the archive edits. */
  mergedTree: string;
  patch: string;
  /** Repo-relative folder the session moves to. */
  completedDir: string;
}

/**
 * Extra files for the completion commit. Other features (e.g. drift.md) register here;
 * each returns the files it adds, and they are written after the built-in ones.
 */
export type CompletionExtra = (facts: CompletionFacts) => Promise<FileWrite[]> | FileWrite[];
export const completionExtras: CompletionExtra[] = [];

export interface CompletionBuild {
  commit: string;
  /** The session tip squashed (recorded as the Session-tip trailer). */
  tip: string;
  /** The OVERRIDE commits the squash carries (recorded as Override trailers). */
  overrides: string[];
  type: string;
  patchPath: string;
  kbSlug?: string;
  files: string[];
}

/** Paths in conflict between main and the session branch, or the merged tree. */
async function squashTree(ctx: RepoContext, main: string, tip: string): Promise<{ tree: string } | { conflicts: string[] }> {
  const out = await ctx.git.run(['merge-tree', '--write-tree', '--name-only', '--no-messages', main, tip], { okCodes: [1] });
  const lines = out.stdout.split('\n');
  if (out.status === 0) return { tree: lines[0]!.trim() };
  const conflicts: string[] = [];
  for (const line of lines.slice(1)) {
    if (line === '') break;
    if (!conflicts.includes(line)) conflicts.push(line);
  }
  return { conflicts };
}

/** `kb-<today>-merge-<words of slug>`, cut to the slug limit and unique on the tree. */
async function kbSlugFor(ctx: RepoContext, tree: string, slug: string, now: Date): Promise<string> {
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  let words = `merge-${parseSlug(slug).words}`;
  const room = 80 - `kb-${date}-`.length - 3;
  if (words.length > room) words = words.slice(0, room).replace(/-[^-]*$/, '') || words.slice(0, room);
  const base = `kb-${date}-${words}`;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    const taken = await lsTree(ctx.git, tree, STATES.map((s) => ctx.layout.rel.session(s, candidate)), false);
    if (taken.length === 0) return candidate;
  }
}

/** Most significant first: a session that added a feature completes as `feat`. */
const TYPE_ORDER = ['feat', 'fix', 'perf', 'refactor', 'revert', 'docs', 'test', 'build', 'ci', 'style', 'chore'];

export interface SessionCommit {
  sha: string;
  subject: string;
}

/** The completion's type from the session's own `[<slug>] <type>: ...` commits (`!` if any is breaking). */
export function completionType(types: readonly string[], slug: string, commits: readonly SessionCommit[]): string {
  const seen = new Set<string>();
  let breaking = false;
  const prefix = `[${slug}] `;
  for (const { subject } of commits) {
    if (!subject.startsWith(prefix)) continue;
    const m = /^([a-z][a-z0-9-]*)(?:\([^)]*\))?(!)?: /.exec(subject.slice(prefix.length));
    if (!m || !types.includes(m[1]!)) continue;
    seen.add(m[1]!);
    if (m[2]) breaking = true;
  }
  const ranked = [...TYPE_ORDER.filter((t) => types.includes(t)), ...types.filter((t) => !TYPE_ORDER.includes(t))];
  const type = ranked.find((t) => seen.has(t)) ?? (types.includes('chore') ? 'chore' : types[0] ?? 'chore');
  return `${type}${breaking ? '!' : ''}`;
}

export interface CompletionRecord {
  tip: string;
  overrides: { sha: string; reason: string }[];
  /** The blob of SESSION.md the OVERRIDE commits left, when they changed it. */
  overrideSessionMd?: string;
  takeOver?: { reason: string; from: string; by: string };
}

export function completionMessage(ctx: RepoContext, slug: string, message: string | undefined, subjects: string[], type = 'chore', record?: CompletionRecord): string {
  const types = ctx.config.commit.types.join('|');
  const typed = message && new RegExp(`^(${types})(\\([^)]*\\))?!?: `).test(message);
  const header = `[${slug}] ${message ? (typed ? message : `${type}: ${message}`) : `${type}: complete session (active -> completed)`}`;
  const body = [`Squash-merge of ${ctx.layout.branch(slug)}; session moved active -> completed.`, ...(subjects.length ? ['', 'Commits:', ...subjects.map((s) => `- ${s}`)] : [])];
  // One line each, at most 100 characters (commitlint's footer-max-line-length default).
  const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
  const cap = (line: string) => (line.length > 100 ? `${line.slice(0, 99)}…` : line);
  // Trailers (git interpret-trailers reads them): what the hub's rules and the clean-up check.
  const trailers = record
    ? [
        `Session-tip: ${record.tip}`,
        ...record.overrides.map((o) => `Override: ${o.sha} ${oneLine(o.reason)}`),
        ...(record.overrideSessionMd ? [`Override-Session-md: ${record.overrideSessionMd}`] : []),
        ...(record.takeOver ? [`Completed-by: ${oneLine(record.takeOver.by)}`, `Taken-over-from: ${oneLine(record.takeOver.from)}`, `Take-over-reason: ${oneLine(record.takeOver.reason)}`] : []),
      ].map(cap)
    : [];
  return `${header.replace(/\s+/g, ' ').trim()}\n\n${body.join('\n')}\n${trailers.length ? `\n${trailers.join('\n')}\n` : ''}`;
}

/** The Session-tip trailers of a completion commit's message (the tips its squash contains). */
export function sessionTipsOf(message: string): string[] {
  return [...message.matchAll(/^Session-tip: ([0-9a-f]{40,64})$/gm)].map((m) => m[1]!);
}

export async function buildCompletion(ctx: RepoContext, input: CompletionInput): Promise<CompletionBuild> {
  const { layout, git } = ctx;
  const { slug, main, tip } = input;
  const squashed = await squashTree(ctx, main, tip);
  if ('conflicts' in squashed) {
    const branch = layout.branch(slug);
    throw new RefusedError('merge-conflict', `session/${slug} conflicts with the hub's ${ctx.config.git.mainBranch} in: ${squashed.conflicts.join(', ')}`, {
      fix: `in the session's worktree: git fetch ${ctx.config.git.remote} && git merge ${ctx.config.git.remote}/${ctx.config.git.mainBranch}, resolve ${squashed.conflicts.join(' ')}, commit "[${slug}] fix: merge main", then run complete again (nothing was changed)`,
      data: { conflicts: squashed.conflicts, branch },
    });
  }
  const tree = squashed.tree;
  const activeDir = layout.rel.session('active', slug);
  const completedDir = layout.rel.session('completed', slug);
  const parent = input.parent ?? main;
  const since = input.since ?? main;
  // Refs mode: the work is what the squash adds to the claim made again on main (a branch that
  // merged main in brings main's commits, which are not the session's).
  const patch = (await git.run(['diff', '--binary', '--no-color', '--no-ext-diff', ...(input.parent ? [input.parent, tree] : [`${since}...${tip}`])])).stdout;
  const patchPath = `${completedDir}/${slug}.patch`;
  const writes: FileWrite[] = [{ path: patchPath, content: patch }];

  const lockText = (await readBlob(git, tree, layout.rel.lockFile)) ?? '';
  writes.push({ path: layout.rel.lockFile, content: serializeLockFile(removeLockEntry(parseLockFile(lockText, layout.rel.lockFile), slug)) });

  if (input.notes?.trim()) {
    const text = (await readBlob(git, tree, `${activeDir}/SESSION.md`)) ?? '';
    writes.push({ path: `${completedDir}/SESSION.md`, content: appendFinalNotes(text, input.notes, input.now.toISOString()) });
  }

  let kbSlug: string | undefined;
  const learningsPath = layout.rel.learnings(slug);
  const learnings = await readBlob(git, tree, learningsPath);
  if (learnings?.trim()) {
    kbSlug = await kbSlugFor(ctx, tree, slug, input.now);
    const content = renderTemplate(
      'kb-merge-SESSION.md.j2',
      { SESSION_SLUG: kbSlug, TOPIC: parseSlug(slug).words.replace(/-/g, ' '), TIMESTAMP: input.now.toISOString(), SOURCE_SESSION: slug, LEARNINGS_PATH: learningsPath },
      layout,
    );
    writes.push({ path: `${layout.rel.session('planned', kbSlug)}/SESSION.md`, content });
  }

  const facts: CompletionFacts = { ...input, ctx, mergedTree: tree, patch, completedDir };
  for (const extra of completionExtras) writes.push(...(await extra(facts)));

  const newTree = await editTree(git, tree, { moves: [{ from: activeDir, to: completedDir }], writes });
  const log = (await git.run(['log', '--no-merges', '--format=%H%x1f%s', tip, `^${since}`, `^${main}`])).stdout.split('\n').filter(Boolean).reverse();
  const commits: SessionCommit[] = log.map((line) => ({ sha: line.slice(0, line.indexOf('\x1f')), subject: line.slice(line.indexOf('\x1f') + 1) }));
  const overrides = commits.flatMap((c) => {
    const form = classifyMessage(c.subject);
    return form.form === 'override' && form.prefix === slug && form.reason ? [{ sha: c.sha, reason: form.reason }] : [];
  });
  // What the OVERRIDE commits made of SESSION.md, named by blob: session-md-readonly accepts
  // exactly that text (plus appended notes) in the completion commit, and nothing else.
  const sessionMd = `${activeDir}/SESSION.md`;
  let overrideSessionMd: string | undefined;
  if (overrides.length) {
    const [onMain, merged] = await Promise.all([lsTree(git, parent, [sessionMd], false), lsTree(git, tree, [sessionMd], false)]);
    if (merged[0] && merged[0].sha !== onMain[0]?.sha) overrideSessionMd = merged[0].sha;
  }
  const type = input.type ?? completionType(ctx.config.commit.types, slug, commits);
  const takeOver = input.takeOver ? { ...input.takeOver, by: `${gitSafeName(input.identity.name)} <${input.identity.email}>` } : undefined;
  const record: CompletionRecord = { tip, overrides, ...(overrideSessionMd ? { overrideSessionMd } : {}), ...(takeOver ? { takeOver } : {}) };
  const message = completionMessage(ctx, slug, input.message, commits.map((c) => c.subject), type, record);
  const commit = await commitTree(git, newTree, [parent], message, { name: gitSafeName(input.identity.name), email: input.identity.email });
  return { commit, tip, overrides: overrides.map((o) => o.sha), type, patchPath, ...(kbSlug ? { kbSlug } : {}), files: writes.map((w) => w.path) };
}
