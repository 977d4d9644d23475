// kb-canonical: the canonical knowledge base is written only by kb- (knowledge merge)
// sessions; every other session writes its learnings under knowledge/sessions/<own-slug>/;
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

const NOTHING_TAKEN: ReadonlySet<string> = new Set();

/** The reports for the knowledge this commit writes, leaving out the paths in `taken`. */
function judge(facts: Facts, taken: ReadonlySet<string>): RuleReport[] {
  const knowledge = facts.config.paths.knowledge;
  const session = sessionOf(facts);
  const reports: RuleReport[] = [];
  const seen = new Set<string>(taken);
  for (const change of facts.changes) {
    for (const path of [change.from, change.path]) {
      if (path === undefined || seen.has(path) || isGitkeep(path)) continue;
      seen.add(path);
      const c = classifyPath(path, facts.config);
      const undo = `git restore --staged -- ${path}`;
      if (c.kind === 'knowledge') {
        if (session && isKbSlug(session)) continue;
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
    description: 'only kb- sessions write canonical knowledge; a session writes only its own knowledge/sessions/<slug>/; nobody writes another session\'s learnings',
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
