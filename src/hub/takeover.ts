// The take-over transaction (`agent-sessions claim --take-over <slug> --reason <text>`):
// a stale session changes hands.
// One commit on the hub's main replaces `.session-env` (the new identity) and the lock line
// (a fresh claim time); in the same atomic push the session branch fast-forwards by one commit
// that carries the new identity and the worklog entry, and the old tip is kept on the hub
// as `taken-over/<slug>/<old claim time>`. The new holder continues the old holder's work.
// A session that is not stale is refused (exit 1) with the time at which it becomes stale.
// The new holder's claim token replaces the old one's hash in `.session-env` (a fencing
// token): from then on, only the new holder's checkout completes or abandons the session.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RepoContext } from '../context.ts';
import { GitError, RefusedError, UsageError } from '../errors.ts';
import { Git } from '../git.ts';
import { serializeLockFile } from '../lockfile.ts';
import { formatUtc, stalenessOf } from '../stale.ts';
import { renderTemplate } from '../templates.ts';
import { addSessionWorktree, checkedOutResult, type ClaimResult } from './checkout.ts';
import { readyWorktree } from '../worktree-setup.ts';
import { ensureToken, tokenHash, withHolderLine } from './holder.ts';
import { gitSafeName, renderSessionEnv } from './identity.ts';
import { mainRootOf, syncLocalMain, worktreePath } from './local.ts';
import { describeHolder, holderOn, lockOn, notStaleError, stateOn, wrongStateOnHub } from './state.ts';
import { hubTarget, runHubTransaction } from './transaction.ts';
import { isRefsMode } from './claim-refs.ts';
import { takeOverViaRefs } from './takeover-refs.ts';
import { commitTree, editTree, readBlob, type FileWrite, type Identity } from './tree.ts';

export interface TakeOverResult extends ClaimResult {
  takeOver: { reason: string; from: string; archivedAs?: string; staleSince: string };
}

/** Where the previous holder's branch is kept on the hub. */
export function archiveRefName(slug: string, claimedAt: number): string {
  return `taken-over/${slug}/${claimedAt}`;
}

export interface TakeOverInput {
  slug: string;
  reason: string;
  identity: Identity;
  now?: Date;
}

export async function takeOverOnHub(ctx: RepoContext, input: TakeOverInput): Promise<TakeOverResult> {
  const { slug, reason, identity } = input;
  if (!reason) {
    throw new UsageError('no-reason', 'a take-over needs a reason', { fix: `run: agent-sessions claim ${slug} --take-over --reason "<why the holder is gone>"` });
  }
  const { git, layout, config } = ctx;
  const path = worktreePath(ctx, slug);
  if (existsSync(path)) {
    throw new RefusedError('path-exists', `${path} already exists`, { fix: `remove it (git worktree remove ${path}) before taking ${slug} over` });
  }
  const branch = layout.branch(slug);
  const tracking = `refs/remotes/${config.git.remote}/${branch}`;
  const now = input.now ?? new Date();
  // Kept before the push, as for a claim: a take-over killed after it still knows its token.
  const token = ensureToken(ctx.root, slug);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const who = gitSafeName(identity.name);
  const activeDir = layout.rel.session('active', slug);

  const envText = withHolderLine(renderSessionEnv(slug, identity, layout), tokenHash(token));
  const done = isRefsMode(config)
    ? await takeOverViaRefs(ctx, { slug, reason, identity, who, envText, nowSeconds, now, archiveName: (at) => archiveRefName(slug, at) })
    : await runHubTransaction(hubTarget(ctx), async (main) => {
    // The branch as the hub has it now: a push by the holder since our last look makes it fresh.
    await git.run(['fetch', '-q', '--no-tags', config.git.remote, `+refs/heads/${branch}:${tracking}`], { okCodes: [1, 128] });
    const oldTip = (await git.run(['rev-parse', '-q', '--verify', `${tracking}^{commit}`], { okCodes: [1, 128] })).stdout.trim() || undefined;
    const state = await stateOn(git, main, layout, slug);
    if (state !== 'active') throw await wrongStateOnHub(git, main, layout, slug, state, ['active'], 'take over');
    const lock = await lockOn(git, main, layout);
    const claimedAt = lock.find((e) => e.slug === slug)?.claimedAt ?? 0;
    const branchTime = oldTip ? Number((await git.run(['log', '-1', '--format=%ct', oldTip])).stdout.trim()) : undefined;
    const staleness = stalenessOf(claimedAt, branchTime, config, nowSeconds);
    const previous = await holderOn(git, main, layout, 'active', slug);
    if (!staleness.stale) throw notStaleError(slug, branch, claimedAt, staleness, previous);
    const from = describeHolder(previous);
    const envText = withHolderLine(renderSessionEnv(slug, identity, layout), tokenHash(token));
    const line = `- ${now.toISOString()} taken over by ${who} from ${from}: ${reason}\n`;
    const worklogOf = async (commit: string) => {
      const old = await readBlob(git, commit, `${activeDir}/worklog.md`);
      if (old === undefined) return renderTemplate('worklog.md.j2', { SESSION_SLUG: slug, TIMESTAMP: now.toISOString(), USER_NAME: who }, layout) + line;
      return `${old}${old.endsWith('\n') || !old ? '' : '\n'}${line}`;
    };
    const archive = oldTip ? archiveRefName(slug, claimedAt) : undefined;
    const message = `[${slug}] chore: take over stale session from ${gitSafeName(from)}\n\nReason: ${reason}\n${archive ? `Previous branch kept on the hub as ${archive}\n` : ''}`;
    const mainWrites: FileWrite[] = [
      { path: `${activeDir}/.session-env`, content: envText },
      { path: layout.rel.lockFile, content: serializeLockFile(lock.map((e) => (e.slug === slug ? { slug, claimedAt: nowSeconds } : e))) },
    ];
    // Without a branch on the hub, the new branch starts at the main commit, which then carries the worklog line.
    if (!oldTip) mainWrites.push({ path: `${activeDir}/worklog.md`, content: await worklogOf(main) });
    const mainCommit = await commitTree(git, await editTree(git, `${main}^{tree}`, { writes: mainWrites }), [main], message, { name: who, email: identity.email });
    let branchCommit = mainCommit;
    if (oldTip) {
      // Same .session-env change on both sides, worklog only on the branch: complete's squash merges cleanly.
      const writes: FileWrite[] = [
        { path: `${activeDir}/.session-env`, content: envText },
        { path: `${activeDir}/worklog.md`, content: await worklogOf(oldTip) },
      ];
      branchCommit = await commitTree(git, await editTree(git, `${oldTip}^{tree}`, { writes }), [oldTip], message, { name: who, email: identity.email });
    }
    const refs = [{ ref: `refs/heads/${branch}`, sha: branchCommit }, ...(archive && oldTip ? [{ ref: `refs/heads/${archive}`, sha: oldTip }] : [])];
    return { commit: mainCommit, refs, value: { branchCommit, from, archive, staleAt: staleness.staleAt } };
  });
  // Refs mode: main did not move; the claim commit is on the claim ref.
  const hubMain = done.main;

  const { branchCommit, from, archive, staleAt } = done.value;
  const localMain = await syncLocalMain(ctx, hubMain);
  const notes = [
    `took ${slug} over from ${from}${archive ? `; their branch is kept on the hub as ${archive}` : ''}`,
    ...(localMain.note ? [localMain.note] : []),
  ];
  const mainGit = new Git(mainRootOf(ctx));
  try {
    await mainGit.run(['fetch', '-q', '--no-tags', config.git.remote, `+refs/heads/${branch}:${tracking}`]);
    await addSessionWorktree(mainGit, ['-b', branch, path, branchCommit], path, config.paths.sessions);
    await mainGit.run(['branch', '-q', `--set-upstream-to=${config.git.remote}/${branch}`, branch], { okCodes: [1, 128] });
  } catch (err) {
    const detail = err instanceof GitError ? err.stderr.trim().split('\n').slice(-2).join(' / ') : String(err);
    throw new RefusedError('checkout-failed', `took over ${slug} (the hub has it), but could not create ${path}: ${detail}`, {
      fix: `create it yourself: git worktree add ${path} ${branch} (a stale local ${branch} must be deleted first: git branch -D ${branch})`,
      data: { slug, commit: done.commit },
    });
  }
  notes.push(...(await readyWorktree({ mainRoot: mainRootOf(ctx), worktree: path, config, slug })));
  const result = checkedOutResult({
    slug,
    commit: done.commit!,
    branch,
    isolation: 'worktree',
    path,
    sessionDir: join(path, ...activeDir.split('/')),
    identity,
    attempts: done.attempts,
    localMain,
    notes,
  });
  return { ...result, takeOver: { reason, from, ...(archive ? { archivedAs: archive } : {}), staleSince: formatUtc(staleAt) } };
}
