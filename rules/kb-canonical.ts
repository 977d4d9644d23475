// kb-canonical: the canonical knowledge base is written only by kb- (knowledge merge)
// sessions, and only while they are active (claimed): the slug alone is no right, or any
// commit headed `[kb-...]` (a session only planned, or none at all) would write it. Active
// means in the sessions the commit is judged against: HEAD's at commit time, the parent's in
// history (a kb- session's own branch, forked after its claim, has it active; its completion
// squash moves it active -> completed, so its parent on main has it active too).
// Every other session writes its learnings under knowledge/sessions/<own-slug>/;
// nobody writes another session's learnings. Outside any session, knowledge is off limits
// (`.gitkeep` placeholders excepted, so the [maint] commit that adopts the layout passes).
// The session is the current one at commit time, the message's slug in history.
// A merge in history is judged like any commit, against the parent(s) the walk chooses (an
// "evil merge" that writes knowledge is a write). Only where it need be legal against any one
// of its parents (a `git pull` of main into a session branch: git's message names no session)
// are the paths it takes unchanged from another parent left out: that side's own commits
// wrote them and are judged on their own. A merge being concluded at commit time brings the
// other branch's changes with it and is judged when pushed.
import type { Facts, Rule, RuleReport } from '../src/engine/types.ts';
import { classifyPath, isGitkeep, isKbSlug } from '../src/engine/paths.ts';
import { classifyMessage } from '../src/message/header.ts';
import { isSlug } from '../src/slug.ts';

/** The session a commit belongs to: the current one, else (in history) its message's slug. */
function sessionOf(facts: Facts): string | undefined {
  if (facts.currentSession) return facts.currentSession;
  if (facts.message === undefined) return undefined;
  const form = classifyMessage(facts.message);
  if ((form.form === 'prefixed' || form.form === 'override') && isSlug(form.prefix)) return form.prefix;
  return undefined;
}

/** The report for canonical knowledge written by a kb- session that is not active where the commit is judged. */
function notClaimed(facts: Facts, session: string, state: string | undefined, path: string): RuleReport {
  const where = facts.commit ? 'in its parent' : 'on HEAD';
  const is = state === undefined ? `does not exist ${where}` : `is ${state} ${where}, not active`;
  return {
    message: `kb- session ${session} writes canonical knowledge (${path}) but ${is}; only a claimed (active) kb- session may`,
    fix: facts.commit
      ? `claim the kb- session first (agent-sessions claim ${session}), then make this change again in its worktree and drop it from commit ${facts.commit.sha.slice(0, 12)} (git rebase -i ${facts.commit.sha.slice(0, 12)}^)`
      : `git restore --staged -- ${path}; claim the kb- session first (agent-sessions claim ${session}) and commit it in the worktree that claim makes`,
    path,
  };
}

const NOTHING_TAKEN: ReadonlySet<string> = new Set();

/** The reports for the knowledge this commit writes, leaving out the paths in `taken`. */
function judge(facts: Facts, taken: ReadonlySet<string>): RuleReport[] {
  const knowledge = facts.config.paths.knowledge;
  const session = sessionOf(facts);
  const kb = session !== undefined && isKbSlug(session);
  const kbState = kb ? facts.before.states.get(session) : undefined;
  const reports: RuleReport[] = [];
  const seen = new Set<string>(taken);
  for (const change of facts.changes) {
    for (const path of [change.from, change.path]) {
      if (path === undefined || seen.has(path) || isGitkeep(path)) continue;
      seen.add(path);
      const c = classifyPath(path, facts.config);
      const undo = `git restore --staged -- ${path}`;
      if (c.kind === 'knowledge') {
        if (kbState === 'active') continue;
        if (kb) {
          reports.push(notClaimed(facts, session, kbState, path));
          continue;
        }
        reports.push({
          message: session
            ? `session ${session} writes canonical knowledge (${path}); only kb- sessions may`
            : `canonical knowledge (${path}) is written outside any session; only kb- sessions may`,
          fix: session
            ? `${undo}; record it in ${knowledge}/sessions/${session}/learnings.md instead (a kb- session merges it after completion)`
            : `${undo}; plan a kb- session for it (agent-sessions new "kb-<date>-...") or write it from a session's learnings`,
          path,
        });
      } else if (c.kind === 'learnings' && c.slug !== session) {
        reports.push({
          message: session
            ? `session ${session} writes the learnings of session ${c.slug} (${path})`
            : `the learnings of session ${c.slug} (${path}) are written outside that session`,
          fix: `${undo}; each session writes only ${knowledge}/sessions/<its-own-slug>/`,
          path,
        });
      }
    }
  }
  return reports;
}

export const rule: Rule = {
  meta: {
    id: 'kb-canonical',
    description: 'only an active (claimed) kb- session writes canonical knowledge; a session writes only its own knowledge/sessions/<slug>/; nobody writes another session\'s learnings',
    defaultSeverity: 'error',
    runsAt: ['pre-commit', 'pre-push', 'check', 'pre-receive'],
  },
  check(facts) {
    if (facts.merging) return [];
    const knowledge = facts.config.paths.knowledge;
    // Most commits write no knowledge at all: a prefix test per path settles them.
    let any = false;
    for (let i = 0; i < facts.changes.length; i++) {
      const change = facts.changes[i]!;
      if (change.path.startsWith(knowledge) || (change.from !== undefined && change.from.startsWith(knowledge))) {
        any = true;
        break;
      }
    }
    if (!any) return [];
    if (facts.commit?.anyParent && facts.takenFromOtherParent) return facts.takenFromOtherParent().then((taken) => judge(facts, taken));
    return judge(facts, NOTHING_TAKEN);
  },
};

export default rule;
