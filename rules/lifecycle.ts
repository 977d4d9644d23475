// lifecycle: a commit may move a session only along PROTOCOL.md's transitions, claim only a
// planned session, must keep the lock file equal to active/, and may not complete a session
// without its patch. Only the sessions this commit touches are judged (the rest were judged
// at their own commits, or by `check`'s tree validation), so the cost follows the commit's
// size, not the number of sessions.
import type { Facts, Rule, RuleReport, SessionsSnapshot } from '../src/engine/types.ts';
import { findTransition, isState } from '../src/states.ts';

const NONE: ReadonlySet<string> = new Set();

/** A path this commit adds (a modification leaves what was there). */
function adds(status: string): boolean {
  const c = status.charCodeAt(0);
  return c === 0x41 /* A */ || c === 0x52 /* R */ || c === 0x43 /* C */ || c === 0x54 /* T */;
}

/**
 * Entries that make the layout itself something else: a file, link or submodule where the
 * sessions folder, one of its state folders or the knowledge folder (or a folder above them)
 * must be (a submodule there fills active/ from a repository the hub never judges; a file
 * there stops every claim), and a folder spelled like a state folder but not it (ACTIVE/,
 * "active." and "active " are active/ on a case-insensitive or Windows checkout).
 */
function shapeReports(facts: Facts): RuleReport[] {
  const { sessions, knowledge } = facts.config.paths;
  let reports: RuleReport[] | undefined;
  const changes = facts.changes;
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    if (!adds(change.status)) continue;
    const path = change.path;
    if (path === sessions || path === knowledge || (sessions.startsWith(path) && sessions.charCodeAt(path.length) === 0x2f) || (knowledge.startsWith(path) && knowledge.charCodeAt(path.length) === 0x2f)) {
      (reports ??= []).push({ message: `${path} is added as a file, link or submodule where agent-sessions needs a folder`, fix: `git rm -q --cached ${path} && rm -rf ${path} && agent-sessions init, then git add ${path} and amend the commit (init restores the layout's folders)`, path });
      continue;
    }
    if (path.charCodeAt(sessions.length) !== 0x2f || !path.startsWith(sessions)) continue;
    const slash = path.indexOf('/', sessions.length + 1);
    const name = path.slice(sessions.length + 1, slash === -1 ? undefined : slash);
    if (isState(name)) {
      if (slash === -1) (reports ??= []).push({ message: `state folder ${path} is added as a file, link or submodule`, fix: `git rm -q --cached ${path} && rm -rf ${path} && agent-sessions init, then git add ${path} and amend the commit (init restores the folder)`, path });
    } else if (isState(name.toLowerCase().replace(/[. ]+$/, ''))) {
      const state = name.toLowerCase().replace(/[. ]+$/, '');
      if (reports?.some((report) => report.path === `${sessions}/${name}`)) continue; // one report per folder
      (reports ??= []).push({ message: `folder ${JSON.stringify(name)} in ${sessions}/ is spelled like the state folder ${state}/ but is not it (one folder on a case-insensitive or Windows checkout)`, fix: `move what is in it out of ${sessions}/ (a session gets into ${state}/ only by its transition)`, path: `${sessions}/${name}` });
    }
  }
  return reports ?? [];
}

function touchedSlugs(facts: Facts): ReadonlySet<string> {
  const { sessions, lockFile } = facts.config.paths;
  const changes = facts.changes;
  // Most commits touch nothing under the sessions folder: settle them without allocating.
  let slugs: Set<string> | undefined;
  let layout = false;
  let lockChanged = false;
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    for (let side = 0; side < 2; side++) {
      const path = side === 0 ? change.path : change.from;
      if (path === undefined) continue;
      if (path === lockFile) layout = lockChanged = true;
      else if (path.charCodeAt(sessions.length) === 0x2f && path.startsWith(sessions)) {
        layout = true;
        // <sessions>/<state>/<slug>/<file>: the slug is the second segment below the folder.
        const stateEnd = path.indexOf('/', sessions.length + 1);
        const slugEnd = stateEnd === -1 ? -1 : path.indexOf('/', stateEnd + 1);
        if (slugEnd !== -1) (slugs ??= new Set()).add(path.slice(stateEnd + 1, slugEnd));
      }
    }
  }
  if (!layout) return NONE;
  slugs ??= new Set<string>();
  if (lockChanged) {
    addSlugs(slugs, facts.before.lock);
    addSlugs(slugs, facts.after().lock);
  }
  return slugs;
}

function addSlugs(slugs: Set<string>, lock: SessionsSnapshot['lock']): void {
  if (lock) for (let i = 0; i < lock.length; i++) slugs.add(lock[i]!.slug);
}

/** How many lines of the lock file name each slug (a commit that changes the lock file asks
 * about every slug in it: counted once, not once per slug). */
function lockCounts(snapshot: SessionsSnapshot): ReadonlyMap<string, number> {
  const counts = new Map<string, number>();
  for (const entry of snapshot.lock ?? []) counts.set(entry.slug, (counts.get(entry.slug) ?? 0) + 1);
  return counts;
}

export const rule: Rule = {
  meta: {
    id: 'lifecycle',
    description: 'an illegal move between state folders, a claim of a non-planned session, a lock file that disagrees with active/, a completed session with no patch, something in a state folder that is not a session',
    defaultSeverity: 'error',
    runsAt: ['pre-push', 'check', 'pre-receive'],
  },
  check(facts) {
    const shape = shapeReports(facts);
    const slugs = touchedSlugs(facts);
    if (slugs === NONE) return shape;
    const reports: RuleReport[] = shape;
    const { sessions, lockFile } = facts.config.paths;
    const before = facts.before;
    const after = facts.after();
    // Something under a state folder that is not a session (a folder not named by a slug, a
    // loose file): no move of it is judged, so it is refused where it first appears, as
    // check's tree validation refuses it at the tip.
    const strayAfter = after.strays;
    if (strayAfter.length > 0) {
      const strayBefore = new Set(before.strays);
      for (const stray of strayAfter) {
        if (strayBefore.has(stray)) continue;
        reports.push({ message: `${stray} is not a session folder named by a valid slug`, fix: 'rename it to YYYY-MM-DD-words (or kb-YYYY-MM-DD-words) or move it out of the state folders', path: stray });
      }
    }
    // Each of these is built anew on every read: read once per commit (when first needed),
    // not once per slug.
    let countsBefore: ReadonlyMap<string, number> | undefined;
    let countsAfter: ReadonlyMap<string, number> | undefined;
    let dupsBefore: readonly string[] | undefined;
    let dupsAfter: readonly string[] | undefined;
    if (after.lockError && !before.lockError) {
      reports.push({ message: after.lockError, fix: `repair ${lockFile}: one <slug>:<unix-seconds> line per session in active/`, path: lockFile });
    }
    for (const slug of slugs) {
      const from = before.states.get(slug);
      const to = after.states.get(slug);
      const claimedAfter = (countsAfter ??= lockCounts(after)).get(slug) ?? 0;
      if (from === undefined && to === undefined && claimedAfter === 0) continue;
      const folder = `${sessions}/${to ?? from}/${slug}`;
      const claimedBefore = (countsBefore ??= lockCounts(before)).get(slug) ?? 0;
      if ((dupsAfter ??= after.duplicates).includes(slug) && !(dupsBefore ??= before.duplicates).includes(slug)) {
        reports.push({ message: `session ${slug} is now in more than one state folder`, fix: `keep one folder of ${slug}: git rm -r the stale copy and commit`, path: folder });
      }
      if (from === undefined && to !== undefined && to !== 'drafting' && !(to === 'planned' && slug.startsWith('kb-'))) {
        reports.push({ message: `session ${slug} appears directly in ${to}/; sessions are born in drafting/`, fix: `create it with \`agent-sessions new\` and move it with ready/claim`, path: folder });
      } else if (from !== undefined && to === undefined) {
        reports.push({ message: `session ${slug} was deleted from ${from}/; sessions are never deleted`, fix: `restore ${sessions}/${from}/${slug}; use \`agent-sessions cancel\` or \`abandon\` to retire a session`, path: `${sessions}/${from}/${slug}` });
      } else if (from !== undefined && to !== undefined && from !== to) {
        const move = findTransition(from, to);
        if (!move) {
          reports.push({ message: `illegal move of ${slug}: ${from} -> ${to}`, fix: `revert this move; legal moves: drafting->planned, planned->drafting, planned->active, active->completed|abandoned, drafting|planned->abandoned`, path: folder });
        }
      }
      if (claimedAfter > claimedBefore) {
        if (from !== 'planned' || to !== 'active') {
          const where = from === 'active' ? 'already active (claimed twice)' : from === 'planned' ? 'planned but not moved to active/' : `${from ?? 'missing'}, not planned`;
          reports.push({ message: `claim of ${slug}, which is ${where}`, fix: `only a planned session can be claimed: run \`agent-sessions status\` and claim a planned one`, path: lockFile });
        }
      }
      if (claimedAfter > 1) {
        reports.push({ message: `${lockFile} lists ${slug} ${claimedAfter} times`, fix: `keep one line for ${slug} in ${lockFile}`, path: lockFile });
      }
      // Report a disagreement between the lock file and active/ only where this commit made it.
      const agreedBefore = (from === 'active') === claimedBefore > 0;
      if (to === 'active' && claimedAfter === 0 && !after.lockError && (agreedBefore || from !== to)) {
        reports.push({ message: `active session ${slug} has no line in ${lockFile}`, fix: `add "${slug}:<unix-seconds>" to ${lockFile} (claim does this)`, path: lockFile });
      }
      if (to !== 'active' && claimedAfter > 0 && (agreedBefore || from !== to || claimedAfter > claimedBefore)) {
        reports.push({ message: `${lockFile} lists ${slug}, which is ${to ? `in ${to}/` : 'not a session'}, not in active/`, fix: `remove the line for ${slug} from ${lockFile}, or claim it properly with \`agent-sessions claim ${slug}\``, path: lockFile });
      }
      const files = after.files?.get(`${to}/${slug}`);
      if (to === 'active' && from !== 'active' && files && !files.has('.session-env')) {
        reports.push({ message: `active session ${slug} has no .session-env`, fix: `claim writes ${folder}/.session-env; claim with \`agent-sessions claim ${slug}\``, path: folder });
      }
      if (to === 'completed' && files && !files.has(`${slug}.patch`)) {
        reports.push({ message: `completed session ${slug} has no ${slug}.patch`, fix: `complete sessions with \`agent-sessions complete ${slug}\`, which writes the patch`, path: folder });
      }
    }
    return reports;
  },
};

export default rule;
