// `new|ready|unready --push`: the planner's commit goes to the hub through the same
// transaction as claim (src/hub/transaction.ts). When the hub's main is still the commit's
// parent, the commit itself is pushed. When main has moved (every claim and completion moves
// it), the commit's own change (the paths it touched, blob for blob) is rebuilt on the new
// main with git's plumbing, never by a merge or a `pull --rebase`, and pushed again; the
// hub's new main then replaces the local commit (same change) with `git reset --keep`.
import { AgentSessionsError, LostRaceError, RefusedError } from './errors.ts';
import type { RepoContext } from './context.ts';
import { Git, type Git as GitClient } from './git.ts';
import { listWorktrees, syncLocalMain, type LocalMainSync } from './hub/local.ts';
import { stateOn, wrongStateOnHub } from './hub/state.ts';
import { fetchHubMain, runHubTransaction, type HubTarget } from './hub/transaction.ts';
import { commitTree, editTree, lsTree, type FileWrite } from './hub/tree.ts';
import type { SessionState } from './states.ts';

export interface PlanPush {
  /** The commit now on the hub's main: ours, or ours rebuilt on the moved main. */
  commit: string;
  rebuilt: boolean;
  attempts: number;
  localMain: LocalMainSync;
}

/** What the session must be on the hub's main for the change to apply (undefined: absent). */
export interface PlanExpectation {
  slug: string;
  state: SessionState | undefined;
  verb: string;
}

interface Change {
  removes: string[];
  writes: FileWrite[];
  paths: string[];
}

/** The paths `commit` changed against its parent, as tree edits. One git call. */
async function changeOf(git: GitClient, commit: string): Promise<Change> {
  const out = await git.run(['diff-tree', '-r', '-z', '--no-renames', '--no-commit-id', `${commit}^`, commit]);
  const fields = out.stdout.split('\0');
  const change: Change = { removes: [], writes: [], paths: [] };
  for (let i = 0; i + 1 < fields.length; i += 2) {
    // ":<old mode> <new mode> <old sha> <new sha> <status>" then the path
    const [, newMode, , newSha, status] = fields[i]!.slice(1).split(' ') as [string, string, string, string, string];
    const path = fields[i + 1]!;
    change.paths.push(path);
    if (status === 'D') change.removes.push(path);
    else change.writes.push({ path, sha: newSha, mode: newMode });
  }
  return change;
}

/** Blob ids of `paths` on a commit, by path. */
async function blobsAt(git: GitClient, commit: string, paths: readonly string[]): Promise<Map<string, string>> {
  const entries = await lsTree(git, commit, paths);
  return new Map(entries.map((e) => [e.path, `${e.mode} ${e.sha}`]));
}

function hubTarget(ctx: RepoContext): HubTarget {
  return { git: ctx.git, remote: ctx.config.git.remote, mainBranch: ctx.config.git.mainBranch, retry: ctx.config.claim, config: ctx.config };
}

/** Pushes the local planning commit `commit` (HEAD of the local main) to the hub's main. */
export async function pushPlanned(ctx: RepoContext, commit: string, expect: PlanExpectation): Promise<PlanPush> {
  const git = ctx.git;
  const main = ctx.config.git.mainBranch;
  const remote = ctx.config.git.remote;
  const parent = (await git.run(['rev-parse', `${commit}^`])).stdout.trim();
  const change = await changeOf(git, commit);
  const before = await blobsAt(git, parent, change.paths);
  const meta = (await git.run(['show', '-s', '--format=%an%x00%ae%x00%B', commit])).stdout;
  const [name, email, ...rest] = meta.split('\0');
  const message = rest.join('\0');
  const done = await runHubTransaction(hubTarget(ctx), async (hubMain) => {
    if (hubMain === parent) return { commit, value: false };
    const behind = await git.run(['merge-base', '--is-ancestor', parent, hubMain], { okCodes: [1] });
    if (behind.status !== 0) {
      throw new RefusedError('unpushed-commits', `${commit.slice(0, 8)} sits on local commits the hub's ${main} does not have`, {
        // The push publishes this command's commit with them: a rerun finds it done (publishedOnHub).
        fix: `publish them and this commit with them: git pull --rebase ${remote} ${main} && git push ${remote} HEAD:${main} (your ${expect.verb} commit goes with them: nothing more to run)`,
      });
    }
    const state = await stateOn(git, hubMain, ctx.layout, expect.slug);
    if (state !== expect.state) {
      if (expect.state === undefined) {
        throw new LostRaceError('session-exists', `session ${expect.slug} already exists on the hub's ${main} (${state})`, {
          fix: `run \`git pull --rebase ${remote} ${main}\` and choose another name`,
          data: { slug: expect.slug, state },
        });
      }
      throw await wrongStateOnHub(git, hubMain, ctx.layout, expect.slug, state, [expect.state], expect.verb);
    }
    // Someone else changed one of our paths since our parent: a real conflict, not a rebuild.
    const now = await blobsAt(git, hubMain, change.paths);
    const clash = change.paths.find((p) => before.get(p) !== now.get(p));
    if (clash) {
      throw new LostRaceError('planning-conflict', `${clash} changed on the hub's ${main} since your commit was made`, {
        fix: `run \`git pull --rebase ${remote} ${main}\`, check the session, and run the command again`,
      });
    }
    const tree = await editTree(git, `${hubMain}^{tree}`, { removes: change.removes, writes: change.writes });
    const rebuilt = await commitTree(git, tree, [hubMain], message.endsWith('\n') ? message : `${message}\n`, { name: name!, email: email! });
    return { commit: rebuilt, value: true };
  }).catch((err: unknown) => {
    throw keptLocally(err, commit, remote, main);
  });
  const pushed = done.commit ?? commit;
  const localMain = done.value ? await replaceLocalCommit(ctx, commit, pushed) : await syncLocalMain(ctx, done.main);
  return { commit: pushed, rebuilt: done.value, attempts: done.attempts, localMain };
}

/**
 * `--push` run again for a move already made locally: when the hub's main has `slug` in
 * `state` too (the move published by hand, e.g. by the `git pull --rebase` and `git push` a
 * refusal's fix names), the hub's last commit that touched the session's folder, and the local
 * main fast-forwarded when nothing can be lost. Undefined when the hub's main has it otherwise.
 */
export async function publishedOnHub(ctx: RepoContext, slug: string, state: SessionState): Promise<{ commit: string; localMain: LocalMainSync } | undefined> {
  const hubMain = await fetchHubMain(hubTarget(ctx));
  if ((await stateOn(ctx.git, hubMain, ctx.layout, slug)) !== state) return undefined;
  const touched = await ctx.git.run(['log', '-1', '--format=%H', hubMain, '--', ctx.layout.rel.session(state, slug)]);
  return { commit: touched.stdout.trim() || hubMain, localMain: await syncLocalMain(ctx, hubMain) };
}

/** A refusal of the push leaves the local commit in place (it is not on the hub): say so. */
function keptLocally(err: unknown, commit: string, remote: string, main: string): unknown {
  if (!(err instanceof AgentSessionsError)) return err;
  // Its fix publishes the commit already: no second way to say the same.
  const fixSaysIt = err.code === 'unpushed-commits';
  const Kind = err.constructor as new (code: string, message: string, details: { fix?: string; data?: Record<string, unknown> }) => AgentSessionsError;
  const kept = `your local commit ${commit.slice(0, 8)} is kept, not pushed`;
  return new Kind(err.code, `${err.message} (${kept})`, {
    fix: fixSaysIt ? err.fix : `${err.fix ?? 'see above'}; your commit ${commit.slice(0, 8)} stays on your local ${main}: after \`git pull --rebase ${remote} ${main}\` publish it with \`git push ${remote} HEAD:${main}\`, or drop it if the hub's state makes it moot`,
    data: { ...err.data, localCommit: commit },
  });
}

/**
 * The local main still ends with `ours`; the hub has the same change as `theirs`. Move the
 * local main there: `reset --keep` in the worktree that has main checked out (it refuses
 * rather than lose an uncommitted change), update-ref when none has.
 */
async function replaceLocalCommit(ctx: RepoContext, ours: string, theirs: string): Promise<LocalMainSync> {
  const main = ctx.config.git.mainBranch;
  const remote = ctx.config.git.remote;
  const note = `your local ${main} still has ${ours.slice(0, 8)}, whose change is on the hub as ${theirs.slice(0, 8)}: run \`git pull --rebase ${remote} ${main}\``;
  const local = (await ctx.git.run(['rev-parse', '-q', '--verify', `refs/heads/${main}`], { okCodes: [1] })).stdout.trim();
  if (local !== ours) return { status: 'diverged', note };
  const holder = (await listWorktrees(ctx.git)).find((w) => w.branch === main);
  if (!holder) {
    await ctx.git.run(['update-ref', `refs/heads/${main}`, theirs, ours]);
    return { status: 'updated' };
  }
  const reset = await new Git(holder.path).run(['reset', '-q', '--keep', theirs], { okCodes: [1, 128] });
  return reset.status === 0 ? { status: 'updated' } : { status: 'failed', note };
}
