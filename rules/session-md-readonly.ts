// session-md-readonly: SESSION.md is the contract a session was claimed under. Once the
// session is active (and after it completes) nobody edits it, except
//   - an `[<slug>] OVERRIDE: <reason>` commit of that session, and
//   - the completion commit (active -> completed), which may only APPEND final notes.
// Claiming (planned -> active) must move it byte-identical. Needs the message, so it runs
// at commit-msg (pre-commit runs before the message exists) and in history.
import type { Facts, Rule, RuleReport } from '../src/engine/types.ts';
import { classifyPath, isSessionMd } from '../src/engine/paths.ts';
import { classifyMessage } from '../src/message/header.ts';
import { LOCKED_STATES, type SessionState } from '../src/states.ts';

function overrideSlug(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  const form = classifyMessage(message);
  return form.form === 'override' && form.reason !== '' ? form.prefix : undefined;
}

function isSessionMdPath(path: string | undefined): boolean {
  return path !== undefined && path.endsWith('/SESSION.md');
}

function sessionMdPath(facts: Facts, state: SessionState, slug: string): string {
  return `${facts.config.paths.sessions}/${state}/${slug}/SESSION.md`;
}

export const rule: Rule = {
  meta: {
    id: 'session-md-readonly',
    description: 'SESSION.md of an active or completed session never changes, except in an `[<slug>] OVERRIDE: <reason>` commit and as notes appended by the completion commit',
    defaultSeverity: 'error',
    runsAt: ['commit-msg', 'pre-push', 'check', 'pre-receive'],
  },
  check(facts) {
    // Which sessions' SESSION.md does this commit touch (either side of a move)?
    // Only paths ending in /SESSION.md can be one: most commits touch none and cost a
    // suffix test per path.
    let any = false;
    for (const change of facts.changes) {
      if (isSessionMdPath(change.path) || isSessionMdPath(change.from)) {
        any = true;
        break;
      }
    }
    if (!any) return [];
    const touched = new Map<string, string>();
    const see = (side: string | undefined) => {
      if (side === undefined || !side.endsWith('/SESSION.md')) return;
      const c = classifyPath(side, facts.config);
      if (isSessionMd(c) && !touched.has(c.slug)) touched.set(c.slug, side);
    };
    for (const change of facts.changes) {
      see(change.from);
      see(change.path);
    }
    if (touched.size === 0) return [];
    const override = overrideSlug(facts.message);
    const reports: RuleReport[] = [];
    for (const [slug, path] of touched) {
      const was = facts.before.states.get(slug);
      const now = facts.after().states.get(slug);
      if (was === undefined) continue;
      const claim = was === 'planned' && now === 'active';
      if (!claim && !LOCKED_STATES.includes(was)) continue;
      const oldText = facts.readBefore(sessionMdPath(facts, was, slug));
      const newText = now === undefined ? undefined : facts.readAfter(sessionMdPath(facts, now, slug));
      if (oldText !== undefined && newText === oldText) continue;
      if (claim) {
        reports.push({
          message: `claiming ${slug} must move its SESSION.md unchanged (planned -> active), but the content differs`,
          fix: `put the planned text back: git checkout HEAD -- ${sessionMdPath(facts, 'planned', slug)} and redo the claim with agent-sessions claim ${slug}`,
          path,
        });
        continue;
      }
      if (override === slug) continue;
      const completion = was === 'active' && now === 'completed' && oldText !== undefined && newText !== undefined && newText.startsWith(oldText);
      if (completion) continue;
      const gone = newText === undefined;
      reports.push({
        message: `SESSION.md of ${was} session ${slug} is read-only${gone ? ' and may not be removed' : ''}${was === 'active' && now === 'completed' ? ' (completion may only append notes)' : ''}`,
        fix: `undo it: git restore --staged --worktree --source=HEAD -- ${path}; write notes in worklog.md, or if SESSION.md really must change commit it alone as: [${slug}] OVERRIDE: <reason>`,
        path,
      });
    }
    return reports;
  },
};

export default rule;
