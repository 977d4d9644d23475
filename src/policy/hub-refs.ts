// Ref-level checks of the hub's pre-receive, before any commit is judged: the guarded branch
// is protected as a branch (no deletion, no rewind or rewrite), whatever the hub's git config
// says (receive.denyNonFastForwards may be unset: the hook is the protection). And, after a
// push to it was accepted, whether the push changed the policy the hub keeps judging with.
import { resolve } from 'node:path';
import type { Config } from '../config.ts';
import { foldPath } from '../engine/paths.ts';
import { gitSync } from '../git.ts';
import { policyAt, policyChanges, policyDigest, type PinnedPolicy } from './pinned.ts';

export interface RefProblem {
  message: string;
  fix: string;
}

/** The hub's git directory as pre-receive sees it (receive-pack sets GIT_DIR, usually "."). */
export function hubGitDir(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(cwd, env.GIT_DIR ?? '.');
}

function isAncestor(cwd: string, older: string, newer: string): boolean {
  try {
    gitSync(['merge-base', '--is-ancestor', older, newer], { cwd });
    return true;
  } catch {
    return false;
  }
}

/**
 * The revisions that leave out of a session branch's range what the hub has judged already:
 * the guarded branch and the session branches (`<branchPrefix>*`), as the hub holds them
 * before this push (pre-receive runs before any ref of the push moves, so no ref the push
 * creates or moves can hide anything). Every other ref (a tag, refs/heads/feature, refs/notes,
 * refs/pull) is accepted unjudged, so a commit parked there first is judged when it reaches a
 * session branch. One git call, whatever the number of refs: the session branches go to git
 * as a glob (a branch prefix is a ref name: no glob characters), the guarded branch as its
 * id (a glob without `*` would mean `<branch>/*`).
 */
export function judgedRefsExcluded(cwd: string, config: Config): string[] {
  const { mainBranch, branchPrefix } = config.git;
  const main = gitSync(['rev-parse', '-q', '--verify', `refs/heads/${mainBranch}^{commit}`], { cwd, okCodes: [1] }).trim();
  return ['--not', `--glob=refs/heads/${branchPrefix}*`, ...(main ? [main] : [])];
}

/** Why an update of the guarded branch is refused as a ref move, or undefined when it only moves forward. */
export function guardedUpdateProblem(cwd: string, branch: string, oldId: string, newId: string, isZero: (id: string) => boolean): RefProblem | undefined {
  if (isZero(newId)) {
    return {
      message: `deleting ${branch} is refused: ${branch} is the guarded branch, where the sessions live`,
      fix: `push commits to ${branch} instead; to retire the hub, an admin removes it on the hub`,
    };
  }
  if (isZero(oldId) || isAncestor(cwd, oldId, newId)) return undefined;
  return {
    message: `rewinding or rewriting ${branch} is refused: ${oldId.slice(0, 12)} (the hub's ${branch}) is not an ancestor of ${newId.slice(0, 12)}; ${branch} only moves forward`,
    fix: `rebase your commits onto the hub's ${branch} (git pull --rebase) and push without --force; to undo a commit, push a revert`,
  };
}

/** A ref the hub judges (`prefix`: every ref under it), and how a case-insensitive file system stores it. */
export interface JudgedRef {
  exact: string;
  prefix: boolean;
  folded: string;
}

export const judgedRef = (exact: string, prefix: boolean): JudgedRef => ({ exact, prefix, folded: foldPath(exact) });

/**
 * A ref spelled like a judged one but for letter case, normalization or trailing dots
 * (refs/heads/MAIN, refs/Heads/main, refs/heads/Session/x), created, moved or deleted: refused.
 * On a hub whose file system ignores case (macOS, Windows) git keeps such a ref in the very
 * file of the ref it mimics, so that pushing it would move (or delete) main or a session
 * branch without a judgement; on any other hub it is a trap for the next clone on such a
 * system. Nobody needs both spellings.
 */
export function caseTwinRefProblem(ref: string, newId: string, deleted: boolean, judged: readonly JudgedRef[]): RefProblem | undefined {
  let folded: string | undefined;
  for (const { exact, prefix, folded: wanted } of judged) {
    if (prefix ? ref.startsWith(exact) : ref === exact) return undefined;
    folded ??= foldPath(ref);
    if (!(prefix ? folded.startsWith(wanted) : folded === wanted)) continue;
    // Folding keeps every '/', so the name under the prefix is the ref's own past as many parts.
    const spelled = prefix ? exact + ref.split('/').slice(exact.split('/').length - 1).join('/') : exact;
    return {
      message: `${ref} is ${prefix ? `a ref under ${exact}` : exact} spelled otherwise (letter case): on a hub whose file system ignores case it is the same ref, and would ${deleted ? 'go' : 'move'} without a judgement`,
      fix: deleted
        ? `nothing to retry: the hub takes no ref under that spelling; a deletion meant for ${spelled} is pushed under that exact name (git push origin :${spelled})`
        : `push to the exact name: git push origin ${newId}:${spelled}`,
    };
  }
  return undefined;
}

/**
 * The policy parts a newly accepted tip of the guarded branch holds differently from the
 * pinned policy (one git call; [] when it holds the pinned policy).
 */
export function policyDrift(cwd: string, tip: string, policy: PinnedPolicy, config: Config): string[] {
  try {
    return policyChanges(policy.digests, policyDigest(cwd, tip, config, policy.digests), config);
  } catch {
    return [];
  }
}

/**
 * Why a pushed tip's config cannot become the policy (it does not validate), or undefined.
 * Refused at the hub: every command validates the config on load, so an invalid one would
 * stop every teammate, and the admin could not pin it.
 */
export function pushedConfigProblem(cwd: string, tip: string, ruleIds: readonly string[]): RefProblem | undefined {
  try {
    policyAt(cwd, tip, ruleIds);
    return undefined;
  } catch (err) {
    const e = err as Error & { fix?: string };
    return { message: `the pushed config does not validate: ${e.message.split('\n')[0]}`, fix: e.fix ?? 'repair the config in a [maint] commit' };
  }
}
