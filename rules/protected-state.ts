// protected-state: an active session's holder is written in two places, its `.session-env`
// (the identity attribution judges by) and its lock line (the claim time staleness is judged
// by). Only the transitions that own them may write them: claim (adds both), take-over
// (replaces both, with a claim time at least `stale.lockAgeHours` newer), complete and abandon
// (remove the line as the folder leaves active/). Any other commit, `[maint]` included, that
// changes them, or that adds or alters the line of another session, is refused: otherwise a
// commit could hand a session to someone else or make it look stale. Judged by the shape of
// the commit (its moves and its message), never by who pushes it.
import type { Facts, Rule, RuleReport } from '../src/engine/types.ts';
import type { LockEntry } from '../src/lockfile.ts';
import { slugPrefixOf } from '../src/message/header.ts';
import { parseSessionEnv } from '../src/sessions.ts';

const ENV_FILE = '.session-env';

/** Slug -> entry; the whole entry is compared, so fields a claim adds later are protected too. */
function byslug(lock: readonly LockEntry[] | undefined): Map<string, LockEntry> {
  const out = new Map<string, LockEntry>();
  for (const entry of lock ?? []) if (!out.has(entry.slug)) out.set(entry.slug, entry);
  return out;
}

function sameEntry(a: LockEntry | undefined, b: LockEntry | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

const ENV_SUFFIX = `/${ENV_FILE}`;
const NONE: ReadonlySet<string> = new Set();

/** The slug whose `active/<slug>/.session-env` `path` is, if it is one. */
function envSlug(path: string | undefined, facts: Facts): string | undefined {
  // The suffix first: most paths are no .session-env, and the prefix costs a new string.
  if (path === undefined || !path.endsWith(ENV_SUFFIX)) return undefined;
  const prefix = `${facts.config.paths.sessions}/active/`;
  if (!path.startsWith(prefix)) return undefined;
  const slug = path.slice(prefix.length, -ENV_FILE.length - 1);
  return slug.includes('/') ? undefined : slug;
}

/** The slugs whose `active/<slug>/.session-env` this commit adds, changes, removes or renames. */
function envTouched(facts: Facts): ReadonlySet<string> {
  let out: Set<string> | undefined;
  for (let i = 0; i < facts.changes.length; i++) {
    const change = facts.changes[i]!;
    const a = envSlug(change.path, facts);
    if (a !== undefined) (out ??= new Set()).add(a);
    const b = envSlug(change.from, facts);
    if (b !== undefined) (out ??= new Set()).add(b);
  }
  return out ?? NONE;
}

function lockTouched(facts: Facts, lockFile: string): boolean {
  for (let i = 0; i < facts.changes.length; i++) {
    const change = facts.changes[i]!;
    if (change.path === lockFile || change.from === lockFile) return true;
  }
  return false;
}

export const rule: Rule = {
  meta: {
    id: 'protected-state',
    description: "a change to an active session's .session-env or lock line outside claim, take-over, complete and abandon; a line added or altered for another session",
    defaultSeverity: 'error',
    runsAt: ['pre-push', 'check', 'pre-receive'],
  },
  check(facts) {
    // The session state that counts is the guarded branch's. A session branch carries its own
    // copy (take-over writes the new .session-env there too, alone); whatever a branch does to
    // it reaches the guarded branch only through a commit judged there.
    if (facts.commit && !facts.commit.onMain) return [];
    const { lockFile, sessions } = facts.config.paths;
    const lockChanged = lockTouched(facts, lockFile);
    const envSlugs = envTouched(facts);
    if (!lockChanged && envSlugs.size === 0) return [];
    const after = facts.after();
    // An unreadable lock file is lifecycle's finding; nothing here can be compared.
    if (facts.before.lockError || after.lockError) return [];
    const linesBefore = byslug(facts.before.lock);
    const linesAfter = byslug(after.lock);
    const slugs = new Set<string>(envSlugs);
    if (lockChanged) {
      // Every slug of either side, in that order (a slug on both sides is added at most once).
      for (const slug of linesBefore.keys()) if (!sameEntry(linesBefore.get(slug), linesAfter.get(slug))) slugs.add(slug);
      for (const slug of linesAfter.keys()) if (!linesBefore.has(slug)) slugs.add(slug);
    }
    const named = facts.message === undefined ? undefined : slugPrefixOf(facts.message);
    const { lockAgeHours } = facts.config.stale;
    const reports: RuleReport[] = [];
    const envPath = (slug: string) => `${sessions}/active/${slug}/${ENV_FILE}`;
    const parent = facts.commit ? `${facts.commit.sha.slice(0, 12)}^` : 'HEAD';
    for (const slug of slugs) {
      const from = facts.before.states.get(slug);
      const to = after.states.get(slug);
      if (from !== 'active' && to !== 'active') continue; // a line for a session not in active/: lifecycle reports it
      const old = linesBefore.get(slug);
      const now = linesAfter.get(slug);
      const lineMoved = !sameEntry(old, now);
      const envMoved = envSlugs.has(slug);
      const claim = from === 'planned' && to === 'active';
      const release = from === 'active' && to !== 'active';
      if (claim) {
        if (lineMoved && (old !== undefined || now === undefined)) {
          reports.push({ message: `the claim of ${slug} changes its lock line instead of adding one`, fix: `claim with \`agent-sessions claim ${slug}\`, which adds "${slug}:<unix-seconds>" to ${lockFile}`, path: lockFile });
        }
        continue;
      }
      if (release) {
        if (lineMoved && now !== undefined) {
          reports.push({ message: `${slug} leaves active/ but its lock line is rewritten instead of removed`, fix: `remove the line for ${slug} from ${lockFile} (complete and abandon do this)`, path: lockFile });
        }
        continue;
      }
      // Active before and after: only a take-over may write, and it writes both.
      if (!lineMoved && !envMoved) continue;
      // (Its line may read the same when the claim time has not moved a second and
      // stale.lockAgeHours is 0: a take-over in the claim's own second.)
      const takeOver = named === slug && envMoved && old !== undefined && now !== undefined && (lineMoved || now.claimedAt - old.claimedAt >= lockAgeHours * 3600);
      if (takeOver) {
        if (now.claimedAt - old.claimedAt < lockAgeHours * 3600) {
          reports.push({
            message: `take-over of ${slug} sets its claim time to ${now.claimedAt}, less than stale.lockAgeHours (${lockAgeHours} h) after the old one (${old.claimedAt}); a take-over starts a new claim now, never back-dated`,
            fix: `take the session over with \`agent-sessions claim ${slug} --take-over --reason "<why>"\` once \`agent-sessions status\` shows it stale`,
            path: lockFile,
          });
        }
        const values = parseSessionEnv(facts.readAfter(envPath(slug)) ?? '');
        if (values.SESSION_SLUG !== slug) {
          reports.push({ message: `take-over of ${slug} writes a .session-env whose SESSION_SLUG is not ${slug}`, fix: `take the session over with \`agent-sessions claim ${slug} --take-over --reason "<why>"\``, path: envPath(slug) });
        }
        continue;
      }
      const what = [envMoved ? ENV_FILE : '', lineMoved ? `its line in ${lockFile}` : ''].filter(Boolean).join(' and ');
      const owner = named === slug ? 'a take-over changes both, with a fresh claim time' : `only claim, take-over, complete and abandon of ${slug} may`;
      reports.push({
        message: `changes ${what} of active session ${slug} (${owner})`,
        fix: lineMoved
          ? `drop this change (git checkout ${parent} -- ${envMoved ? `${envPath(slug)} ` : ''}${lockFile}, then amend or rebase); to change hands use \`agent-sessions claim ${slug} --take-over --reason "<why>"\``
          : `drop this change (git checkout ${parent} -- ${envPath(slug)}, then amend or rebase); to change hands use \`agent-sessions claim ${slug} --take-over --reason "<why>"\``,
        path: envMoved ? envPath(slug) : lockFile,
      });
    }
    return reports;
  },
};

export default rule;
