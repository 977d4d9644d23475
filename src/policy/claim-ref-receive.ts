// The hub's pre-receive on a claim ref (refs hub mode, refs/agent-sessions/claims/<slug>),
// where the hub runs our hook (self-managed servers, gitolite, a bare repository). A forge
// without custom hooks cannot run this: there, docs/SECURITY.md says what holds instead.
// - the name must be a session slug;
// - deleting it while main still has the session planned (a live claim) is refused: a claim
//   changes hands by take-over, and its ref goes only once main records the session's end;
// - a new value must start on main (its commits not on main begin with a claim of <slug>,
//   planned -> active, built on a commit of main), main must have <slug> planned, a new ref
//   must name exactly that one claim commit, and every commit not on main is judged with the
//   history rules as main's next commits (a completion on top of the claim included).
import type { Config } from '../config.ts';
import { judgeHistory } from '../check/history.ts';
import { gitSync } from '../git.ts';
import { isSlug } from '../slug.ts';
import { STATES, type SessionState } from '../states.ts';
import { makeLayout } from '../layout.ts';
import { lockTimeProblems, rangeLockTimeProblems } from './hub-locks.ts';
import { formatUtc, stalenessOf } from '../stale.ts';
import { parseLockFile } from '../lockfile.ts';

export const CLAIM_REF_PREFIX = 'refs/agent-sessions/claims/';

function tryGit(cwd: string, args: string[]): string | undefined {
  try {
    return gitSync(args, { cwd }).trim();
  } catch {
    return undefined;
  }
}

function stateAt(cwd: string, config: Config, rev: string, slug: string): SessionState | undefined {
  const layout = makeLayout(cwd, config);
  const dirs = STATES.map((s) => layout.rel.session(s, slug));
  const out = tryGit(cwd, ['ls-tree', '--name-only', '--full-tree', rev, '--', ...dirs]) ?? '';
  const found = new Set(out.split('\n'));
  return STATES.find((s) => found.has(layout.rel.session(s, slug)));
}

/** Lines to print (refused) for one claim-ref update, or [] when it is accepted. */
export async function claimRefProblems(cwd: string, config: Config, oldId: string, newId: string, ref: string, isZero: (id: string) => boolean): Promise<string[]> {
  const slug = ref.slice(CLAIM_REF_PREFIX.length);
  const refuse = (message: string, fix: string) => [`agent-sessions: push to ${ref} refused: ${message}`, `      fix: ${fix}`];
  if (!isSlug(slug)) return refuse('a claim ref is named by a session slug (YYYY-MM-DD-words)', 'push claims with `agent-sessions claim <slug>`');
  const main = tryGit(cwd, ['rev-parse', '-q', '--verify', `refs/heads/${config.git.mainBranch}^{commit}`]);
  if (!main) return refuse(`the hub has no ${config.git.mainBranch} to claim from`, `push ${config.git.mainBranch} first`);
  const onMain = stateAt(cwd, config, main, slug);
  if (isZero(newId)) {
    if (onMain !== 'planned') return []; // a leftover: the session's end is on main
    return refuse(`${slug} is still planned on ${config.git.mainBranch}, so this claim is live; deleting it would let another agent claim the session while its holder works`, `take a stale session over with \`agent-sessions claim ${slug} --take-over --reason "<why>"\`; the claim ref goes once ${config.git.mainBranch} records the session's end`);
  }
  if (onMain !== 'planned') return refuse(`${slug} is ${onMain ?? 'not a session'} on ${config.git.mainBranch}, not planned: it cannot be claimed`, 'claim a planned session (`agent-sessions next --claim`)');
  const line = (tryGit(cwd, ['rev-list', '--first-parent', '--reverse', newId, `^${main}`]) ?? '').split('\n').filter(Boolean);
  const first = line[0];
  const base = first ? tryGit(cwd, ['rev-parse', `${first}^`]) : undefined;
  const fromMain = base !== undefined && tryGit(cwd, ['merge-base', '--is-ancestor', base, main]) !== undefined;
  if (!first || !fromMain || stateAt(cwd, config, base!, slug) !== 'planned' || stateAt(cwd, config, first, slug) !== 'active') {
    return refuse(`the claim ref of ${slug} must name its claim: a commit on ${config.git.mainBranch} moving ${slug} planned -> active (or a completion on top of it)`, `claim with \`agent-sessions claim ${slug}\``);
  }
  if (isZero(oldId) && line.length !== 1) return refuse(`a new claim ref names exactly one claim commit, not ${line.length} commits`, `claim with \`agent-sessions claim ${slug}\``);
  // Lock times by the hub's clock and branches, claim against claim: a claim dated in the
  // future, or a new holder for a session that is not stale on the hub (a take-over by force).
  const oldClaim = isZero(oldId) ? main : (tryGit(cwd, ['rev-list', '--first-parent', oldId, `^${main}`]) ?? '').split('\n').filter(Boolean).pop();
  const nowSeconds = Math.floor(Date.now() / 1000);
  const times = oldClaim ? lockTimeProblems(cwd, config, oldClaim, first, nowSeconds) : [];
  // And every lock line written after the claim on the ref's line (a take-over by force
  // behind the holder's own claim commit), each against its parents.
  times.push(...rangeLockTimeProblems(cwd, config, first, newId, nowSeconds, [main]));
  if (times.length) return times.flatMap((t) => refuse(t.message, t.fix));
  // A new holder (another .session-env) is a take-over, whatever the lock line says.
  if (!isZero(oldId) && oldClaim) {
    const env = `${makeLayout(cwd, config).rel.session('active', slug)}/.session-env`;
    if (tryGit(cwd, ['rev-parse', `${oldClaim}:${env}`]) !== tryGit(cwd, ['rev-parse', `${first}:${env}`])) {
      const lock = tryGit(cwd, ['cat-file', 'blob', `${oldClaim}:${config.paths.lockFile}`]) ?? '';
      let claimedAt = 0;
      try {
        claimedAt = parseLockFile(lock, config.paths.lockFile).find((e) => e.slug === slug)?.claimedAt ?? 0;
      } catch {
        /* a broken lock file: claimed at 0, stale */
      }
      const branch = Number(tryGit(cwd, ['log', '-1', '--format=%ct', `refs/heads/${config.git.branchPrefix}${slug}`]) ?? 0) || undefined;
      const staleness = stalenessOf(claimedAt, branch, config, Math.floor(Date.now() / 1000));
      if (!staleness.stale) return refuse(`a new holder for ${slug}, which is not stale on the hub (claimed ${formatUtc(claimedAt)}, last activity ${formatUtc(staleness.lastActivity)})`, `it becomes stale at ${formatUtc(staleness.staleAt)}; then \`agent-sessions claim ${slug} --take-over --reason "<why>"\``);
    }
  }
  const result = await judgeHistory({ cwd, config, runPoint: 'pre-receive', revs: [newId, `^${main}`], onMain: true, guardedTip: base!, limit: 20 });
  const errors = result.violations.filter((v) => v.severity === 'error');
  return errors.length ? refuse(`${errors.length} violation(s): ${errors.map((v) => `[${v.rule}] ${v.message}`).join(' / ')}`, 'claim, complete and take over with agent-sessions, whose commits pass these rules') : [];
}

/**
 * Refs mode, a push to main (a pull request merged): every claim it brings (a `.session-env`
 * added under active/) must be the one the hub's claim ref holds, compared by blob id (the
 * holder line makes it unique). A claim made without winning the claim ref, or a second claim
 * of a session someone else holds, is refused. ONE `git log` for the range, one `cat-file
 * --batch-check` for the claim refs' blobs.
 */
export interface UnmatchedClaim {
  commit: string;
  slug: string;
  /** Whether the claim ref exists (naming another holder) or not at all. */
  refExists: boolean;
}

export function unmatchedClaims(cwd: string, config: Config, oldMain: string | undefined, newMain: string): string[] {
  const claimed = new Set<string>();
  const unmatched = claimsWithoutRef(cwd, config, oldMain, newMain, CLAIM_REF_PREFIX, claimed);
  return [...heldPlanProblems(cwd, config, oldMain, newMain, claimed), ...unmatched.flatMap((u) => [
    `agent-sessions: push to refs/heads/${config.git.mainBranch} refused: ${u.commit.slice(0, 12)} claims ${u.slug}, but the hub's claim ref ${CLAIM_REF_PREFIX}${u.slug} ${u.refExists ? 'names another holder' : 'does not exist'}`,
    `      fix: in the refs hub mode a session is claimed with \`agent-sessions claim ${u.slug}\` (the claim ref is the lock); merge only the pull request its holder's \`complete\` pushed`,
  ])];
}

/**
 * In the refs mode main shows a held session as planned until its pull request merges; its
 * folder is then the plan its holder claimed, read-only as an active one's SESSION.md is in
 * the direct mode. A push to main that changes (or moves away) `planned/<slug>/` of a session
 * with a live claim ref, without the claim itself (`claimed`: the claims the push brings, each
 * matched against its claim ref), is refused. One for-each-ref, one cat-file --batch-check.
 */
function heldPlanProblems(cwd: string, config: Config, oldMain: string | undefined, newMain: string, claimed: ReadonlySet<string>): string[] {
  if (!oldMain) return [];
  const slugs = (tryGit(cwd, ['for-each-ref', '--format=%(refname)', CLAIM_REF_PREFIX]) ?? '')
    .split('\n')
    .map((ref) => ref.slice(CLAIM_REF_PREFIX.length))
    .filter((slug) => isSlug(slug) && !claimed.has(slug));
  if (slugs.length === 0) return [];
  const layout = makeLayout(cwd, config);
  const names = slugs.flatMap((slug) => [`${oldMain}:${layout.rel.session('planned', slug)}`, `${newMain}:${layout.rel.session('planned', slug)}`]);
  let answers: string[];
  try {
    answers = gitSync(['cat-file', '--batch-check=%(objectname)'], { cwd, input: `${names.join('\n')}\n` }).split('\n');
  } catch {
    return [];
  }
  return slugs.flatMap((slug, i) => {
    const [before, after] = [answers[2 * i] ?? '', answers[2 * i + 1] ?? ''];
    if (!/^[0-9a-f]{40,64}$/.test(before) || before === after) return []; // not planned on main: no live claim
    return [
      `agent-sessions: push to refs/heads/${config.git.mainBranch} refused: ${layout.rel.session('planned', slug)} changes, but ${slug} is held (claim ref ${CLAIM_REF_PREFIX}${slug}): its holder works from the plan it claimed`,
      `      fix: leave ${slug}'s plan as it is until its pull request merges (or its holder abandons it); plan a follow-up session for the change`,
    ];
  });
}

/** The claims of `oldMain..newMain` that are not the ones the claim refs under `prefix` hold. */
export function claimsWithoutRef(cwd: string, config: Config, oldMain: string | undefined, newMain: string, prefix: string, claimed?: Set<string>): UnmatchedClaim[] {
  const layout = makeLayout(cwd, config);
  const activeRoot = `${layout.rel.sessions}/active/`;
  const revs = oldMain ? [newMain, `^${oldMain}`] : [newMain];
  // -m: a merge's own changes against each parent too (git log shows none for a merge
  // without it), so a claim made by a merge commit is found like any other.
  const log = tryGit(cwd, ['log', '--full-history', '-m', '--no-renames', '--raw', '-r', '--no-abbrev', '--format=%x01%H', ...revs, '--', activeRoot]) ?? '';
  const added: Array<{ commit: string; slug: string; blob: string }> = [];
  let commit = '';
  for (const line of log.split('\n')) {
    if (line.startsWith('\x01')) commit = line.slice(1);
    const m = /^:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) A\t(.+)$/.exec(line);
    if (!m) continue;
    const rest = m[2]!.slice(activeRoot.length).split('/');
    if (rest.length === 2 && rest[1] === '.session-env' && isSlug(rest[0]!)) added.push({ commit, slug: rest[0]!, blob: m[1]! });
  }
  for (const a of added) claimed?.add(a.slug);
  if (added.length === 0) return [];
  const names = added.flatMap((a) => [`${prefix}${a.slug}:${layout.rel.session('active', a.slug)}/.session-env`, `${prefix}${a.slug}^:${layout.rel.session('active', a.slug)}/.session-env`, `${prefix}${a.slug}`]);
  let answers: string[] = [];
  try {
    answers = gitSync(['cat-file', '--batch-check=%(objectname)'], { cwd, input: `${names.join('\n')}\n` }).split('\n');
  } catch {
    answers = [];
  }
  const out: UnmatchedClaim[] = [];
  added.forEach((a, i) => {
    const held = [answers[3 * i], answers[3 * i + 1]].filter((x): x is string => !!x && /^[0-9a-f]{40,64}$/.test(x));
    if (held.includes(a.blob)) return;
    out.push({ commit: a.commit, slug: a.slug, refExists: /^[0-9a-f]{40,64}$/.test(answers[3 * i + 2] ?? '') });
  });
  return out;
}
