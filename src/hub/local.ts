// The local side of a transition, done only AFTER the hub accepted it: bring the local main
// up to the hub's (never clobbering a dirty checkout), and create or remove the session's
// worktree, clone and branch.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RepoContext } from '../context.ts';
import { commonDirOf, gitDirOf, Git, readRefFile } from '../git.ts';
import { applySessionModes } from '../session-modes.ts';
import { noHooksConfig } from './push-shortcuts.ts';

export interface LocalMainSync {
  status: 'up-to-date' | 'updated' | 'dirty' | 'diverged' | 'failed' | 'half-updated';
  /** What the agent should do, when the local main was left behind. */
  note?: string;
}

/** The main worktree's top level (worktrees and clones live under it). */
export function mainRootOf(ctx: RepoContext): string {
  // As hooks-install.ts's mainWorktreeOf; not imported from there, because that module loads
  // the hook-manager editors (and yaml) that a claim or complete never needs.
  return dirname(commonDirOf(gitDirOf(ctx.root, {})));
}

export function worktreePath(ctx: RepoContext, slug: string): string {
  return join(mainRootOf(ctx), ...ctx.config.paths.worktrees.split('/'), slug);
}

export function clonePath(ctx: RepoContext, slug: string): string {
  return join(mainRootOf(ctx), ...ctx.config.paths.clones.split('/'), slug);
}

interface WorktreeInfo {
  path: string;
  branch?: string;
}

export async function listWorktrees(git: Git): Promise<WorktreeInfo[]> {
  const out = await git.run(['worktree', 'list', '--porcelain']);
  const list: WorktreeInfo[] = [];
  for (const block of out.stdout.split('\n\n')) {
    const path = /^worktree (.+)$/m.exec(block)?.[1];
    if (!path) continue;
    const branch = /^branch refs\/heads\/(.+)$/m.exec(block)?.[1];
    list.push({ path, ...(branch ? { branch } : {}) });
  }
  return list;
}

/** Fast-forwards the local main to `hubMain` when that cannot lose anything. */
export async function syncLocalMain(ctx: RepoContext, hubMain: string): Promise<LocalMainSync> {
  const git = ctx.git;
  const main = ctx.config.git.mainBranch;
  const local = readRefFile(ctx.root, `refs/heads/${main}`) ?? (await git.run(['rev-parse', '-q', '--verify', `refs/heads/${main}`], { okCodes: [1] })).stdout.trim();
  if (local === hubMain) return { status: 'up-to-date' };
  if (local) {
    const ff = await git.run(['merge-base', '--is-ancestor', local, hubMain], { okCodes: [1] });
    if (ff.status !== 0) {
      return { status: 'diverged', note: `your local ${main} has commits the hub does not; push them (\`git push\`) or rebase them onto ${ctx.config.git.remote}/${main}` };
    }
  }
  const holder = (await listWorktrees(git)).find((w) => w.branch === main);
  if (!holder) {
    await git.run(['update-ref', `refs/heads/${main}`, hubMain, ...(local ? [local] : [])]);
    return { status: 'updated' };
  }
  const there = new Git(holder.path);
  // The fast-forward rewrites the checked-out files; a failure half-way (a full disk) leaves
  // some written and some not. A marker says so until it is done: the checkout was clean
  // before, so a later run may finish it without taking anyone's change for a violation.
  const marker = join(gitDirOf(holder.path, {}), 'agent-sessions-ff');
  const pending = readMarker(marker);
  if (pending && local === pending.from) {
    const finished = await finishFastForward(there, pending.from, hubMain, marker);
    return finished ?? halfUpdated(holder.path, pending.to, 'and other changes since: stash yours first');
  } else if (pending) {
    rmSync(marker, { force: true });
  }
  const dirty = (await there.run(['status', '--porcelain', '--untracked-files=no'])).stdout.trim();
  if (dirty) {
    return { status: 'dirty', note: `local ${main} not updated (uncommitted changes in ${holder.path}); commit or stash them, then \`git merge --ff-only ${ctx.config.git.remote}/${main}\`` };
  }
  writeFileSync(marker, `${local} ${hubMain}\n`);
  // The post-merge hook would start Node only to set the SESSION.md modes: done here instead,
  // and the hook told so (hooks/run.sh); any other post-merge commands of the project still
  // run. When nothing else would, the hooks are not started at all (push-shortcuts.ts).
  const merged = await there.run([...noHooksConfig(holder.path, 'post-merge'), '-c', 'maintenance.auto=false', '-c', 'gc.auto=0', 'merge', '--ff-only', '-q', hubMain], {
    okCodes: [1, 128],
    env: { ...process.env, AGENT_SESSIONS_CHECKOUT_DONE: '1' },
  });
  if (merged.status === 0) {
    applySessionModes(holder.path, ctx.config.paths.sessions);
    rmSync(marker, { force: true });
    return { status: 'updated' };
  }
  const reason = merged.stderr.trim().split('\n')[0];
  if (!(await there.run(['status', '--porcelain', '--untracked-files=no'])).stdout.trim()) {
    rmSync(marker, { force: true });
    return { status: 'failed', note: `local ${main} not updated (${reason}); run \`git merge --ff-only ${ctx.config.git.remote}/${main}\`` };
  }
  return (await finishFastForward(there, local, hubMain, marker)) ?? halfUpdated(holder.path, hubMain, reason);
}

function readMarker(file: string): { from: string; to: string } | undefined {
  try {
    const [from, to] = readFileSync(file, 'utf8').trim().split(' ');
    return from && to ? { from, to } : undefined;
  } catch {
    return undefined;
  }
}

function halfUpdated(path: string, to: string, reason: string | undefined): LocalMainSync {
  return {
    status: 'half-updated',
    note: `the local checkout ${path} is half-way through its fast-forward (${reason ?? 'write failed'}); nothing of yours is lost, and the files it changed there are the update's own, not work to keep: free the space, then run the command again (or: git -C ${path} reset --hard ${to})`,
  };
}

/**
 * Finishes an interrupted fast-forward from `from` to `to`: only when every changed file is
 * one the fast-forward itself touches (else someone has worked there since: left alone).
 */
async function finishFastForward(there: Git, from: string, to: string, marker: string): Promise<LocalMainSync | undefined> {
  const touched = new Set((await there.run(['diff', '--name-only', '--no-renames', '-z', from, to])).stdout.split('\0').filter(Boolean));
  // Untracked files are left alone by reset --hard unless the fast-forward writes them.
  const changed = (await there.run(['status', '--porcelain', '-z', '--no-renames', '--untracked-files=no'])).stdout.split('\0').filter(Boolean).map((e) => e.slice(3));
  if (!changed.every((path) => touched.has(path))) return undefined;
  const reset = await there.run(['-c', 'gc.auto=0', 'reset', '-q', '--hard', to], { okCodes: [1, 128] });
  if (reset.status !== 0) return halfUpdated(there.cwd, to, reset.stderr.trim().split('\n')[0]);
  rmSync(marker, { force: true });
  return { status: 'updated' };
}

/** Removes the session's worktree (if any) and local branch; tolerant of either missing. */
export async function removeSessionCheckout(ctx: RepoContext, slug: string, options: { force?: boolean } = {}): Promise<string[]> {
  const removed: string[] = [];
  const git = new Git(mainRootOf(ctx));
  const branch = ctx.layout.branch(slug);
  const path = worktreePath(ctx, slug);
  const registered = (await listWorktrees(git)).find((w) => w.path === path || w.branch === branch);
  if (registered) {
    await git.run(['worktree', 'remove', ...(options.force ? ['--force', '--force'] : ['--force']), registered.path]);
    removed.push(registered.path);
  } else if (existsSync(path)) {
    await git.run(['worktree', 'prune']);
  }
  const hasBranch = await git.run(['rev-parse', '-q', '--verify', `refs/heads/${branch}`], { okCodes: [1] });
  if (hasBranch.status === 0) {
    await git.run(['branch', '-q', '-D', branch]);
    removed.push(branch);
  }
  return removed;
}
