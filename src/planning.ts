// Local planning commits (new, ready, unready): change files, commit exactly those paths,
// and if the commit is refused (a hook, a git error) put every file back as it was.
import { existsSync } from 'node:fs';
import { GitError, RefusedError } from './errors.ts';
import type { RepoContext } from './context.ts';
import { safeRemove, safeRename } from './safe-fs.ts';

export interface PlannedChange {
  /** Repo-relative paths the commit touches (both sides of a move). */
  paths: string[];
  message: string;
  /** Puts the work tree back as it was; runs only when the commit fails. */
  undo(): void;
  /** Environment for the commit (e.g. the session's identity for a commit on its branch). */
  env?: NodeJS.ProcessEnv;
}

export async function commitPlanned(ctx: RepoContext, change: PlannedChange): Promise<string> {
  try {
    await ctx.git.run(['add', '-A', '--', ...change.paths]);
    await ctx.git.run(['commit', '-q', '-m', change.message, '--', ...change.paths], change.env ? { env: { ...process.env, ...change.env } } : {});
  } catch (err) {
    // Restore the index for these paths, then the files.
    await ctx.git.run(['reset', '-q', '--', ...change.paths], { okCodes: [1] }).catch(() => undefined);
    change.undo();
    const detail = err instanceof GitError ? err.stderr.trim().split('\n').slice(-4).join(' / ') : String(err);
    throw new RefusedError('commit-refused', `the commit "${change.message}" was refused: ${detail}`, {
      fix: 'read the reason above (a hook names the rule and the fix), correct it and run the command again',
    });
  }
  return (await ctx.git.raw('rev-parse', 'HEAD')).trim();
}

export function moveBack(ctx: RepoContext, fromRel: string, toRel: string): () => void {
  return () => {
    if (existsSync(ctx.layout.abs(toRel)) && !existsSync(ctx.layout.abs(fromRel))) safeRename(ctx.root, ctx.layout.abs(toRel), ctx.layout.abs(fromRel));
  };
}

export function removeAgain(ctx: RepoContext, rel: string): () => void {
  return () => safeRemove(ctx.root, ctx.layout.abs(rel));
}
