// A stale take-over in the refs hub mode: the claim ref changes hands under a lease on its
// current value (two agents taking over the same session: exactly one wins). Its new value
// is a new claim commit on main (planned -> active with the new holder's .session-env, a
// fresh lock line, the worklog line), the session branch fast-forwards by one commit with the
// same .session-env (the new holder continues the work), and the old tip is kept on the hub
// as taken-over/<slug>/<old claim time>. Main is never pushed.
import type { RepoContext } from '../context.ts';
import { RefusedError } from '../errors.ts';
import { serializeLockFile } from '../lockfile.ts';
import { stalenessOf } from '../stale.ts';
import { claimRef, runRefsTransaction } from './claim-refs.ts';
import { rebaseClaim } from './complete-refs.ts';
import { describeHolder, holderOn, lockOn, notStaleError, stateOn, wrongStateOnHub } from './state.ts';
import { hubTarget } from './transaction.ts';
import { commitTree, editTree, readBlob, type FileWrite, type Identity } from './tree.ts';

export interface RefsTakeOver {
  slug: string;
  reason: string;
  identity: Identity;
  who: string;
  envText: string;
  nowSeconds: number;
  now: Date;
  archiveName: (claimedAt: number) => string;
}

export interface RefsTakeOverDone {
  main: string;
  commit: string;
  attempts: number;
  value: { branchCommit: string; from: string; archive: string | undefined; staleAt: number };
}

export async function takeOverViaRefs(ctx: RepoContext, input: RefsTakeOver): Promise<RefsTakeOverDone> {
  const { git, layout, config } = ctx;
  const { slug, reason, identity, who, envText, nowSeconds, now } = input;
  const branch = layout.branch(slug);
  const tracking = `refs/remotes/${config.git.remote}/${branch}`;
  const activeDir = layout.rel.session('active', slug);
  const done = await runRefsTransaction(hubTarget(ctx), async (hub) => {
    const claimed = hub.claims.get(slug);
    const onMain = await stateOn(git, hub.main, layout, slug);
    if (onMain !== 'planned' || !claimed) throw await wrongStateOnHub(git, hub.main, layout, slug, onMain === 'planned' ? 'planned' : onMain, ['active'], 'take over');
    const claimState = await stateOn(git, claimed, layout, slug);
    const claim = claimState === 'active' ? claimed : `${claimed}^`;
    await git.run(['fetch', '-q', '--no-tags', config.git.remote, `+refs/heads/${branch}:${tracking}`], { okCodes: [1, 128] });
    const oldTip = (await git.run(['rev-parse', '-q', '--verify', `${tracking}^{commit}`], { okCodes: [1, 128] })).stdout.trim() || undefined;
    const claimedAt = (await lockOn(git, claim, layout)).find((e) => e.slug === slug)?.claimedAt ?? 0;
    const branchTime = oldTip ? Number((await git.run(['log', '-1', '--format=%ct', oldTip])).stdout.trim()) : undefined;
    const staleness = stalenessOf(claimedAt, branchTime, config, nowSeconds);
    const previous = await holderOn(git, claim, layout, 'active', slug);
    if (!staleness.stale) throw notStaleError(slug, branch, claimedAt, staleness, previous);
    const from = describeHolder(previous);
    const line = `- ${now.toISOString()} taken over by ${who} from ${from}: ${reason}\n`;
    const withLine = (old: string | undefined) => `${old ?? ''}${!old || old.endsWith('\n') ? '' : '\n'}${line}`;
    // The old claim's files made again on today's main, then the new holder's.
    const base = await rebaseClaim(ctx, claim, hub.main, slug);
    const lock = (await lockOn(git, base, layout)).map((e) => (e.slug === slug ? { slug, claimedAt: nowSeconds } : e));
    const writes: FileWrite[] = [
      { path: `${activeDir}/.session-env`, content: envText },
      { path: layout.rel.lockFile, content: serializeLockFile(lock) },
      { path: `${activeDir}/worklog.md`, content: withLine(await readBlob(git, base, `${activeDir}/worklog.md`)) },
    ];
    const archive = oldTip ? input.archiveName(claimedAt) : undefined;
    // A claim commit (planned -> active on main) whose body says it is a take-over.
    const message = `[${slug}] chore: claim session (planned -> active)\n\nTaken over from ${from}: ${reason}\n${archive ? `Previous branch kept on the hub as ${archive}\n` : ''}`;
    const commit = await commitTree(git, await editTree(git, `${base}^{tree}`, { writes }), [hub.main], message, { name: who, email: identity.email });
    let branchCommit = commit;
    if (oldTip) {
      const branchWrites: FileWrite[] = [
        { path: `${activeDir}/.session-env`, content: envText },
        { path: `${activeDir}/worklog.md`, content: withLine(await readBlob(git, oldTip, `${activeDir}/worklog.md`)) },
      ];
      const text = `[${slug}] chore: take over stale session from ${from}\n\nReason: ${reason}\n`;
      branchCommit = await commitTree(git, await editTree(git, `${oldTip}^{tree}`, { writes: branchWrites }), [oldTip], text, { name: who, email: identity.email });
    }
    const refs = [
      { ref: claimRef(slug), sha: commit, expect: claimed },
      { ref: `refs/heads/${branch}`, sha: branchCommit, expect: oldTip ?? '' },
      ...(archive && oldTip ? [{ ref: `refs/heads/${archive}`, sha: oldTip, expect: '' }] : []),
    ];
    return { refs, value: { commit, branchCommit, from, archive, staleAt: staleness.staleAt } };
  });
  const { commit, ...value } = done.value;
  return { main: done.hub.main, commit, attempts: done.attempts, value };
}
