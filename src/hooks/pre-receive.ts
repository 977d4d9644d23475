// pre-receive on the hub: the server-side gate nobody can skip with --no-verify.
// stdin: `<old> <new> <ref>` per ref. Runs inside git's quarantine: the pushed objects are
// readable through the environment git sets (GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_
// DIRECTORIES, GIT_QUARANTINE_PATH), which every git we start inherits untouched; refs are
// never updated here. What it prints reaches the pusher as `remote:` lines.
//
// The policy is the one PINNED on the hub by `install-server-hook` (src/policy/pinned.ts),
// never a config read from what is pushed or from the branch a push may have changed: a push
// cannot weaken the rules that judge the pushes after it. A hub without a readable pin
// accepts no branch update (fail closed). How refs are judged:
// - the guarded branch (git.mainBranch of the pinned config, any name): deleting it, or an
//   update whose old tip is not an ancestor of the new one, is refused whatever the hub's git
//   config; then every commit new to it (`<new> ^<old>`) with every history rule.
//   Lock times are then judged with the hub's clock and branches: a take-over of a session
//   that is not stale on the hub, or a claim time in the future, is refused.
// - session branches (<branchPrefix><slug>): commits the hub has on neither the guarded branch
//   nor a session branch yet (`<new> --not <main> --glob=<prefix>*`, as the refs were before
//   this push: judgedRefsExcluded) with the same rules, judged as not on the guarded branch. Not
//   `--not --all`: a commit parked first under a ref nobody judges (a tag) would be skipped.
//   Several session branches of one push are each judged against the hub's old refs.
// - claim refs (refs/agent-sessions/claims/<slug>, the refs hub mode): src/policy/claim-ref-receive.ts.
// - anything else (tags, other branches, deletions of non-guarded refs) is accepted.
import { ruleIds } from '../../rules/index.ts';
import { judgeHistory } from '../check/history.ts';
import type { AgentSessionsError } from '../errors.ts';
import { loadPinnedPolicy } from '../policy/pinned.ts';
import { rangeLockTimeProblemsBeside } from '../policy/hub-locks.ts';
import { caseTwinRefProblem, guardedUpdateProblem, hubGitDir, judgedRef, judgedRefsExcluded, policyDrift, pushedConfigProblem, type RefProblem } from '../policy/hub-refs.ts';
import type { PinnedPolicy } from '../policy/pinned.ts';
import type { Config } from '../config.ts';
import { printable } from '../engine/report.ts';
import { isZeroId, readStdin, refLines, violationLines } from './stdin.ts';
import { CLAIM_REF_PREFIX, claimRefProblems, unmatchedClaims } from '../policy/claim-ref-receive.ts';
import { takeEarlyInput } from './pre-receive-early.ts';
import { readAheadNames, rememberObjects } from '../policy/read-ahead.ts';
import { prepareWalkProcess } from '../engine/walk-process.ts';
import { BlobReader } from '../engine/blob-reader.ts';
import { malformedPolicyTree, type TreeFormProblem } from '../policy/tree-form.ts';

/** What the hub judges of a main update after its commits: lock times, policy drift, the pushed config. */
interface AfterMain {
  /** Read beside the walk; `stop` kills its git when the push is refused anyway. */
  lockTimes: Promise<RefProblem[]>;
  stop: AbortController;
  drift: string[];
  invalid: RefProblem | undefined;
}

function readAfterMain(cwd: string, config: Config, policy: PinnedPolicy, oldMain: string | undefined, newMain: string): AfterMain {
  const stop = new AbortController();
  const lockTimes = rangeLockTimeProblemsBeside(cwd, config, oldMain, newMain, Math.floor(Date.now() / 1000), stop.signal);
  // Awaited only when nothing else refused the push; a failure is met again then.
  lockTimes.catch(() => {});
  const drift = policyDrift(cwd, newMain, policy, config);
  const invalid = drift.some((part) => !part.endsWith('/')) ? pushedConfigProblem(cwd, newMain, ruleIds) : undefined;
  return { lockTimes, stop, drift, invalid };
}

export async function run(_args: readonly string[]): Promise<number> {
  const opened: { blobs?: BlobReader } = {};
  try {
    return await judgePush(opened);
  } finally {
    opened.blobs?.close();
  }
}

async function judgePush(opened: { blobs?: BlobReader }): Promise<number> {
  prepareWalkProcess();
  // A pushed refs/replace/<id> would make every git started here read another commit or tree
  // in place of <id>: the hub judges the objects themselves (inherited by every git below).
  process.env.GIT_NO_REPLACE_OBJECTS = '1';
  // The runner may have read stdin already (pre-receive-early.ts); the rest, if any, is read here.
  const early = takeEarlyInput();
  const lines = refLines(early?.complete ? early.bytes.toString('utf8') : await readStdin(process.stdin, early?.bytes));
  if (lines.length === 0) return 0;
  const cwd = process.cwd();
  let pinned;
  try {
    pinned = loadPinnedPolicy(hubGitDir(cwd), ruleIds);
  } catch (err) {
    if (lines.every(([, , ref]) => !ref?.startsWith('refs/heads/') && !ref?.startsWith(CLAIM_REF_PREFIX))) return 0;
    const e = err as AgentSessionsError;
    process.stderr.write(`agent-sessions: push refused: ${e.message}\n      fix: ${e.fix ?? 'reinstall the hook'}\n`);
    return 1;
  }
  const { config, policy } = pinned;
  const mainRef = `refs/heads/${config.git.mainBranch}`;
  const sessionPrefix = `refs/heads/${config.git.branchPrefix}`;
  const out: string[] = [];
  let newMain: string | undefined;
  let oldMain: string | undefined;
  let judged = false;
  let afterMain: AfterMain | undefined;
  /** Read once per push, before the first session branch is judged. */
  let judgedBefore: string[] | undefined;
  /** The trees of main's new tip the hub reads policy and sessions from, checked beside the walk (tree-form.ts). */
  let treeForm: Promise<TreeFormProblem | undefined> | undefined;
  const judgedRefs = [judgedRef(mainRef, false), judgedRef(sessionPrefix, true), judgedRef(CLAIM_REF_PREFIX, true)];
  for (const [oldId, newId, ref] of lines) {
    if (!ref || !newId) continue;
    const twin = caseTwinRefProblem(ref, newId, isZeroId(newId), judgedRefs);
    if (twin) {
      out.push(`agent-sessions: push to ${printable(ref)} refused: ${printable(twin.message)}`, `      fix: ${printable(twin.fix)}`);
      continue;
    }
    if (ref === mainRef) {
      const problem = guardedUpdateProblem(cwd, config.git.mainBranch, oldId ?? '', newId, isZeroId);
      if (problem) {
        out.push(`agent-sessions: push to ${ref} refused: ${problem.message}`, `      fix: ${problem.fix}`);
        continue;
      }
    }
    // Refs hub mode: a claim ref is judged as the claim (and completion) it names.
    if (ref.startsWith(CLAIM_REF_PREFIX)) {
      out.push(...(await claimRefProblems(cwd, config, oldId ?? '', newId, ref, isZeroId)));
      continue;
    }
    if (isZeroId(newId)) continue;
    let revs: string[];
    let onMain: boolean;
    if (ref === mainRef) {
      revs = isZeroId(oldId) ? [newId] : [newId, `^${oldId}`];
      onMain = true;
      newMain = newId;
      oldMain = isZeroId(oldId) ? undefined : oldId;
    } else if (ref.startsWith(sessionPrefix)) {
      revs = [newId, ...(judgedBefore ??= judgedRefsExcluded(cwd, config))];
      onMain = false;
    } else continue;
    // The old tip of main: merges are judged against what was already on it.
    const guardedTip = onMain && !isZeroId(oldId) ? oldId : undefined;
    // Main's walk shares its cat-file with the check of the new tip's trees.
    const blobs = ref === mainRef ? (opened.blobs ??= new BlobReader(cwd)) : undefined;
    const judging = judgeHistory({ cwd, config, runPoint: 'pre-receive', revs, onMain, limit: 20, ...(guardedTip ? { guardedTip } : {}), ...(blobs ? { blobs } : {}) });
    if (blobs) {
      treeForm = malformedPolicyTree((names) => blobs.objects(names), newId, oldMain, config);
      treeForm.catch(() => {}); // awaited below; a failure is reported there
    }
    // While the walk's git processes run, the reads judged after it for main (lock times,
    // policy drift): plain reads of the pushed objects, used only if nothing is refused.
    // (A failure here is met again, where it was met before, after the judgement.)
    if (blobs) {
      // What those reads take of the tip, in one round trip of the walk's cat-file (read-ahead.ts).
      const names = readAheadNames(newId, config.paths.sessions, config.paths.lockFile);
      if (names) rememberObjects(cwd, names, await blobs.objects(names, { again: false }));
      try {
        afterMain = readAfterMain(cwd, config, policy, oldMain, newId);
      } catch {
        afterMain = undefined;
      }
    }
    const result = await judging;
    const errors = result.violations.filter((v) => v.severity === 'error');
    if (errors.length === 0) continue;
    judged = true;
    out.push(`agent-sessions: push to ${ref} refused: ${errors.length}${result.truncated ? '+' : ''} violation(s)`, ...violationLines(errors, 10));
  }
  // Lock times judged with the hub's own clock and branches (src/policy/hub-locks.ts).
  if (out.length > 0) afterMain?.stop.abort();
  if (out.length === 0 && newMain) {
    let lockTimes: RefProblem[];
    try {
      lockTimes = await (afterMain ?? readAfterMain(cwd, config, policy, oldMain, newMain)).lockTimes;
    } catch {
      // Read once more where it always was: a failure here is the hook's to report.
      afterMain = readAfterMain(cwd, config, policy, oldMain, newMain);
      lockTimes = await afterMain.lockTimes;
    }
    for (const problem of lockTimes) {
      out.push(`agent-sessions: push to ${mainRef} refused: ${problem.message}`, `      fix: ${problem.fix}`);
    }
  }
  const malformed = treeForm && (await treeForm);
  if (malformed) {
    const where = malformed.path === '' ? 'the root tree' : `the tree ${malformed.path}/`;
    out.push(
      `agent-sessions: push to ${mainRef} refused: ${printable(where)} of ${newMain!.slice(0, 12)}: ${printable(malformed.problem)}; a checkout would write other than what the hub judged`,
      `      fix: ${printable(malformed.fix)}`,
    );
  }
  // Refs hub mode: a claim reaches main only as the one its claim ref holds (a merged pull request).
  if (out.length === 0 && newMain && config.git.hubMode === 'refs') out.push(...unmatchedClaims(cwd, config, oldMain, newMain));
  // A push that changes the policy must carry a config that validates; when it is accepted,
  // the pusher is told that the hub keeps judging with the pinned policy.
  const drift = out.length === 0 && newMain && afterMain ? afterMain.drift : [];
  const invalid = drift.length > 0 ? afterMain?.invalid : undefined;
  // The pushed config is hostile data: its text reaches the pusher's terminal escaped.
  if (invalid) out.push(`agent-sessions: push to ${mainRef} refused: ${printable(invalid.message)}`, `      fix: ${printable(invalid.fix)}`);
  if (out.length === 0) {
    if (drift.length > 0) {
      process.stderr.write(
        `agent-sessions: accepted a change to the repository's policy (${drift.join(', ')}); this hub keeps judging with the policy pinned from ${config.source.replace(/^pinned on the hub from /, '')} until an admin runs \`agent-sessions install-server-hook <this hub>\` on it\n`,
      );
    }
    return 0;
  }
  if (judged) out.push('agent-sessions: fix the commits (git rebase -i), then push again. `agent-sessions check` shows the same locally.');
  process.stderr.write(`${out.join('\n')}\n`);
  return 1;
}
