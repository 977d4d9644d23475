// kb-canonical: the canonical knowledge base is written only by kb- (knowledge merge)
// sessions; every other session writes its learnings under knowledge/sessions/<own-slug>/;
// nobody writes another session's learnings. Outside any session, knowledge is off limits
// (`.gitkeep` placeholders excepted, so the [maint] commit that adopts the layout passes).
// The session is the current one at commit time, the message's slug in history.
// A merge brings the other branch's knowledge changes with it, so merges are not judged.
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

export const rule: Rule = {
  meta: {
    id: 'kb-canonical',
    description: 'only kb- sessions write canonical knowledge; a session writes only its own knowledge/sessions/<slug>/; nobody writes another session\'s learnings',
    defaultSeverity: 'error',
    runsAt: ['pre-commit', 'pre-push', 'check', 'pre-receive'],
  },
  check(facts) {
    if (facts.merging || (facts.commit?.parents.length ?? 1) > 1) return [];
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
    const session = sessionOf(facts);
    const reports: RuleReport[] = [];
    const seen = new Set<string>();
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
  },
};

export default rule;
