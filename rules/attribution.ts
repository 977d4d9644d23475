// attribution: a `[<slug>]` commit made while that session is active (its parent's tree has
// the session in active/) must be authored by the identity in that session's .session-env
// (in the parent's tree). Hooks can be skipped; this rule runs where they cannot be: the
// CI check and the hub's pre-receive.
import type { Facts, Identity, Rule } from '../src/engine/types.ts';
import { slugPrefixOf } from '../src/message/header.ts';
import { parseSessionEnv } from '../src/sessions.ts';

const ENV_SUFFIX = '/.session-env';

function same(a: Identity, b: Identity): boolean {
  // The usual case, the very same strings, settles it without building new ones.
  if (a.email === b.email && a.name === b.name) return true;
  return a.email.trim().toLowerCase() === b.email.trim().toLowerCase() && a.name.trim() === b.name.trim();
}

/** True when the commit writes (adds or changes) `active/<slug>/.session-env`. */
function writesEnv(facts: Facts, slug: string): boolean {
  let envPath: string | undefined;
  for (let i = 0; i < facts.changes.length; i++) {
    const change = facts.changes[i]!;
    if (change.status === 'D' || !change.path.endsWith(ENV_SUFFIX)) continue;
    envPath ??= `${facts.config.paths.sessions}/active/${slug}${ENV_SUFFIX}`;
    if (change.path === envPath) return true;
  }
  return false;
}

function show(identity: Identity): string {
  return `${identity.name} <${identity.email}>`;
}

export const rule: Rule = {
  meta: {
    id: 'attribution',
    description: "a [slug] commit made while that session is active whose author is not the identity in the session's .session-env",
    defaultSeverity: 'error',
    runsAt: ['check', 'pre-receive'],
  },
  check(facts) {
    if (!facts.commit || facts.message === undefined) return [];
    const slug = slugPrefixOf(facts.message);
    if (!slug || facts.before.states.get(slug) !== 'active') return [];
    let expected = facts.sessionIdentity(slug);
    // A take-over (claim --take-over) rewrites the identity in the same commit: judge that
    // commit by the identity it installs.
    if (writesEnv(facts, slug)) {
      const values = parseSessionEnv(facts.readAfter(`${facts.config.paths.sessions}/active/${slug}${ENV_SUFFIX}`) ?? '');
      const name = values.GIT_AUTHOR_NAME;
      const email = values.GIT_AUTHOR_EMAIL;
      if (name !== undefined && email !== undefined) expected = { name, email };
    }
    if (!expected) return [];
    const author = facts.commit.author;
    if (same(author, expected)) return [];
    return [
      {
        message: `commit for active session ${slug} is authored by ${show(author)}, not by the session's identity ${show(expected)}`,
        fix: `work on ${slug} with its identity: eval "$(agent-sessions env ${slug})", then rewrite this commit's author (git commit --amend --reset-author, or rebase)`,
      },
    ];
  },
};

export default rule;
