// session-identity: inside a session (SESSION_SLUG, or the branch session/<slug>) whose
// .session-env is on HEAD, a commit whose author is not that identity. The history rule
// `attribution` refuses such a commit at the hub and in CI, where it can no longer be fixed
// with one command; here, at commit time, the agent hears it at once. A warning by default
// (the commit is made); set "session-identity": "error" under "rules" to refuse it.
import type { Identity, Rule } from '../src/engine/types.ts';

function same(a: Identity, b: Identity): boolean {
  return a.email.trim().toLowerCase() === b.email.trim().toLowerCase() && a.name.trim() === b.name.trim();
}

export const rule: Rule = {
  meta: {
    id: 'session-identity',
    description: "inside an active session, a commit whose author is not the identity in the session's .session-env",
    defaultSeverity: 'warn',
    runsAt: ['commit-msg'],
  },
  check(facts) {
    const slug = facts.currentSession;
    if (!slug || !facts.author || facts.before.states.get(slug) !== 'active') return [];
    const expected = facts.sessionIdentity(slug);
    const author = facts.author();
    if (!expected || !author || same(author, expected)) return [];
    return [
      {
        message: `you are committing to session ${slug} as ${author.name} <${author.email}>, not as its identity ${expected.name} <${expected.email}>; the hub and CI refuse such commits (attribution)`,
        fix: `activate the session in this shell with the line \`claim\` printed (eval "$(<path to the CLI> env ${slug})"), or from the top of this worktree: . ${facts.config.paths.sessions}/active/${slug}/.session-env; then git commit --amend --reset-author --no-edit`,
      },
    ];
  },
};

export default rule;
