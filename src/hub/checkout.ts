// The session's checkout, made only AFTER the hub accepted a claim (or take-over): a linked
// worktree on session/<slug>, or a shallow clone of the hub whose hooks run the same rules.
// Every recovery line printed here is one that works when copied (tests run them).
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, parse, relative, resolve } from 'node:path';
import type { RepoContext } from '../context.ts';
import { GitError, RefusedError } from '../errors.ts';
import { Git, readRefFile } from '../git.ts';
import { applySessionModes, setSessionMdMode } from '../session-modes.ts';
import { shellQuote } from '../sessions.ts';
import { sessionEnvValues } from './identity.ts';
import { mainRootOf, type LocalMainSync } from './local.ts';
import { activationLine, cliInvocation } from '../activation.ts';
import { tokenDir, tokenFile } from './holder.ts';
import { noHooksConfig } from './push-shortcuts.ts';
import type { Identity } from './tree.ts';

export interface ClaimResult {
  slug: string;
  state: 'active';
  commit: string;
  branch: string;
  isolation: 'worktree' | 'clone';
  /** The worktree or clone to work in. */
  path: string;
  /** The session's folder inside it. */
  sessionDir: string;
  env: Record<string, string>;
  /** The shell line that activates the session. */
  activate: string;
  attempts: number;
  localMain: LocalMainSync;
  notes: string[];
  /** True when the hub already had this checkout's claim (an interrupted claim, run again). */
  resumed?: boolean;
}

/**
 * `git worktree add <args>` for a session, with the post-checkout hook's work done here:
 * the SESSION.md modes (the activation line is in the command's own output). The hook is told
 * so (AGENT_SESSIONS_CHECKOUT_DONE) and skips its Node start; any other post-checkout
 * commands of the project still run. When nothing else would, no hook starts (push-shortcuts.ts).
 */
export async function addSessionWorktree(git: Git, args: readonly string[], path: string, sessionsDir: string): Promise<void> {
  await git.run([...noHooksConfig(git.cwd, 'post-checkout'), 'worktree', 'add', '-q', ...args], { env: { ...process.env, AGENT_SESSIONS_CHECKOUT_DONE: '1' } });
  applySessionModes(path, sessionsDir);
}

/** The `git worktree add` line that makes the session's worktree from this repository's state. */
export function worktreeAddLine(ctx: RepoContext, slug: string, path: string, start: string): string {
  const branch = ctx.layout.branch(slug);
  const rel = relative(process.cwd(), path) || '.';
  const where = mainRootOf(ctx) === process.cwd() ? '' : `cd ${shellQuote(mainRootOf(ctx))} && `;
  const hasBranch = readRefFile(ctx.root, `refs/heads/${branch}`) !== undefined;
  const target = where ? path : rel;
  return hasBranch ? `${where}git worktree add ${shellQuote(target)} ${branch}` : `${where}git worktree add -b ${branch} ${shellQuote(target)} ${start}`;
}

/** A hub URL that `git clone --depth` honours: a local path becomes file://. */
function shallowUrl(url: string, base: string): string {
  // A URL (scheme://) or git's scp-like form (host:path, user@host:path) is used as it is.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/:]{2,}:/.test(url)) return url;
  return `file://${isAbsolute(url) ? url : resolve(base, url)}`;
}

/**
 * Hooks for a session clone: the main checkout's husky hooks by absolute path (as linked
 * worktrees have them), so the clone runs the same rules from the same installed package.
 * Without hooks in the main checkout, the clone gets its own through install-hooks.
 */
async function cloneHooks(ctx: RepoContext, clone: string): Promise<string | undefined> {
  const mainHooks = join(mainRootOf(ctx), '.husky', '_');
  if (existsSync(join(mainHooks, 'h'))) {
    await new Git(clone).run(['config', 'core.hooksPath', mainHooks]);
    return undefined;
  }
  try {
    // Loaded only here: the hook-manager editors (and yaml) are no part of a claim's start-up.
    const { installHooks } = await import('../hooks-install.ts');
    await installHooks(clone, mainRootOf(ctx));
    return undefined;
  } catch (err) {
    return `hooks not installed in the clone (${err instanceof Error ? err.message : String(err)}); run \`agent-sessions install-hooks\` there`;
  }
}

/** Creates the session's worktree (or shallow clone) on session/<slug> at `start`. */
export async function createCheckout(ctx: RepoContext, slug: string, start: string, options: { clone?: boolean; path: string }): Promise<string[]> {
  const notes: string[] = [];
  const branch = ctx.layout.branch(slug);
  const { path } = options;
  const main = new Git(mainRootOf(ctx));
  try {
    if (options.clone) {
      const url = (await ctx.git.run(['remote', 'get-url', ctx.config.git.remote])).stdout.trim();
      await main.run(['clone', '-q', '--no-tags', '--depth', '1', '--branch', branch, shallowUrl(url, mainRootOf(ctx)), path]);
      const clone = new Git(path);
      await clone.run(['remote', 'set-url', 'origin', url]);
      const note = await cloneHooks(ctx, path);
      if (note) notes.push(note);
      // The claim token goes with the work, so that complete run from the clone is the holder's.
      if (existsSync(tokenFile(ctx.root, slug))) {
        mkdirSync(tokenDir(path), { recursive: true, mode: 0o700 });
        copyFileSync(tokenFile(ctx.root, slug), tokenFile(path, slug));
        chmodSync(tokenFile(path, slug), 0o600);
      }
      applySessionModes(path, ctx.config.paths.sessions);
    } else {
      const hasBranch = readRefFile(ctx.root, `refs/heads/${branch}`) !== undefined || (await main.run(['rev-parse', '-q', '--verify', `refs/heads/${branch}`], { okCodes: [1] })).status === 0;
      await addSessionWorktree(main, hasBranch ? [path, branch] : ['-b', branch, path, start], path, ctx.config.paths.sessions);
      await main.run(['branch', '-q', `--set-upstream-to=${ctx.config.git.remote}/${branch}`, branch], { okCodes: [1, 128] });
    }
  } catch (err) {
    const detail = err instanceof GitError ? err.stderr.trim().split('\n').slice(-2).join(' / ') : String(err);
    throw new RefusedError('checkout-failed', `claimed ${slug} (the hub has it), but could not create ${path}: ${detail}`, {
      fix: `free what stopped it, then run \`agent-sessions claim ${slug}\` again: it resumes with this checkout's claim token${
        options.clone ? '' : ` (or by hand: ${worktreeAddLine(ctx, slug, path, start)})`
      }`,
      data: { slug, commit: start, path },
    });
  }
  return notes;
}

/** The result of a won claim (or take-over) once its checkout exists: SESSION.md made 0444. */
export function checkedOutResult(parts: Omit<ClaimResult, 'state' | 'env' | 'activate'> & { identity: Identity }): ClaimResult {
  const { identity, ...rest } = parts;
  const sessionMd = join(parts.sessionDir, 'SESSION.md');
  setSessionMdMode(parts.path, sessionMd, 0o444);
  const rel = relative(process.cwd(), parts.path) || '.';
  return {
    ...rest,
    state: 'active',
    env: sessionEnvValues(parts.slug, identity),
    // The CLI by absolute path (or npx --no-install): a devDependency puts no bin on PATH.
    activate: `cd ${shellQuote(rel)} && ${activationLine(cliInvocation(parse(parts.path).root, parts.path), parts.slug)}`,
  };
}
