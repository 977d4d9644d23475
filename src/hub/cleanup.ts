// The clean-up after complete and abandon never deletes a commit the hub does not have.
// Before a session's branch, worktree or clone goes, its commits are compared with what the
// hub keeps: its guarded branch, and the session tips the completion (or abandon) recorded.
// Anything else is kept under refs/agent-sessions/backup/<slug> and the clean-up is refused,
// naming the commits; run again, it finds them in the backup ref and finishes.
import type { RepoContext } from '../context.ts';
import { RefusedError } from '../errors.ts';
import type { Git } from '../git.ts';

export function backupRefName(slug: string, n = 1): string {
  return `refs/agent-sessions/backup/${slug}${n > 1 ? `-${n}` : ''}`;
}

/** Every backup ref of `slug` (`backup/<slug>`, `backup/<slug>-2`, ...). */
async function backupRefs(git: Git, slug: string): Promise<string[]> {
  const out = await git.run(['for-each-ref', '--format=%(refname)', 'refs/agent-sessions/backup/']);
  const base = backupRefName(slug);
  return out.stdout.split('\n').filter((ref) => ref === base || new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+$`).test(ref));
}

export interface UnsavedCommit {
  sha: string;
  subject: string;
}

/** Commits reachable from `tip` and from none of `kept` (missing objects among `kept` are ignored). */
export async function commitsOutside(git: Git, tip: string, kept: readonly string[]): Promise<UnsavedCommit[]> {
  const out = await git.run(['log', '--format=%H %s', '--ignore-missing', tip, '--not', ...kept.filter(Boolean), '--']);
  return out.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => ({ sha: line.slice(0, line.indexOf(' ') === -1 ? line.length : line.indexOf(' ')), subject: line.slice(line.indexOf(' ') + 1) }));
}

/** Writes a backup ref for `tip` (a new numbered one if backup/<slug> holds other work). */
async function keepBackup(git: Git, slug: string, tip: string): Promise<string> {
  for (let n = 1; ; n++) {
    const ref = backupRefName(slug, n);
    const have = (await git.run(['rev-parse', '-q', '--verify', `${ref}^{commit}`], { okCodes: [1] })).stdout.trim();
    if (!have) {
      await git.run(['update-ref', ref, tip, '']);
      return ref;
    }
    if (have === tip) return ref;
    const behind = await git.run(['merge-base', '--is-ancestor', have, tip], { okCodes: [1] });
    if (behind.status === 0) {
      await git.run(['update-ref', ref, tip, have]);
      return ref;
    }
  }
}

export interface CleanupGuard {
  /** The backup ref that keeps commits the hub does not have (already there from a run before). */
  backup?: string;
}

/**
 * Refuses (exit 1) to let the clean-up delete `tip` while it holds commits that are neither
 * on the hub's guarded branch nor in `kept` (tips the hub's record contains) nor in a backup
 * ref; such commits are put in a backup ref first. `verb` is the command to run again.
 */
export async function guardCleanup(ctx: RepoContext, git: Git, slug: string, tip: string | undefined, kept: readonly string[], verb: string): Promise<CleanupGuard> {
  if (!tip) return {};
  const hubMain = `refs/remotes/${ctx.config.git.remote}/${ctx.config.git.mainBranch}`;
  if ((await commitsOutside(git, tip, [hubMain, ...kept])).length === 0) return {};
  const backups = await backupRefs(git, slug);
  const unsaved = await commitsOutside(git, tip, [hubMain, ...kept, ...backups]);
  if (unsaved.length === 0) {
    for (const ref of backups) {
      if ((await git.run(['merge-base', '--is-ancestor', tip, ref], { okCodes: [1] })).status === 0) return { backup: ref };
    }
    return { backup: backups[0]! };
  }
  const ref = await keepBackup(git, slug, tip);
  const list = unsaved.map((c) => `${c.sha.slice(0, 10)} ${c.subject}`);
  throw new RefusedError('unsaved-commits', `${ctx.layout.branch(slug)} holds ${unsaved.length} commit(s) the hub does not have:\n  ${list.join('\n  ')}\nNothing was deleted; they are kept in ${ref}.`, {
    fix: `to carry them on, make a branch of them: git branch rescue/${slug} ${ref} (and cherry-pick them into a new session); then run \`agent-sessions ${verb} ${slug}\` again: with the commits kept in ${ref} it removes the worktree and the branch`,
    data: { slug, backupRef: ref, commits: unsaved.map((c) => c.sha) },
  });
}
