// session-env-inert: a session's `.session-env` is sourced by people and agents, so what lands
// on the branch must be what claim itself would write: only blank lines, comments and
// assignments of quoted values to the five identity variables (SESSION_SLUG, GIT_AUTHOR_NAME,
// GIT_AUTHOR_EMAIL, GIT_COMMITTER_NAME, GIT_COMMITTER_EMAIL). A claim made by hand (or a
// hostile template on a machine without this package's check) could otherwise ship a command,
// or an inert GIT_CONFIG_* / PROMPT_COMMAND / BASH_ENV that takes over git or the shell of
// whoever sources it. claim applies the same check (sessionEnvProblem) before it pushes.
import type { Rule, RuleReport } from '../src/engine/types.ts';
import { sessionEnvProblem } from '../src/sessions.ts';

const NONE: readonly RuleReport[] = Object.freeze([]);

export const rule: Rule = {
  meta: {
    id: 'session-env-inert',
    description: 'a .session-env that is not inert or sets anything but the five identity variables',
    defaultSeverity: 'error',
    runsAt: ['pre-commit', 'pre-push', 'check', 'pre-receive'],
  },
  check(facts) {
    let prefix: string | undefined;
    let reports: RuleReport[] | undefined;
    for (let i = 0; i < facts.changes.length; i++) {
      const change = facts.changes[i]!;
      // The suffix first: it settles most paths without building the prefix.
      if (change.status === 'D' || !change.path.endsWith('/.session-env') || !change.path.startsWith((prefix ??= `${facts.config.paths.sessions}/`))) continue;
      const text = facts.readAfter(change.path);
      if (text === undefined) continue;
      const problem = sessionEnvProblem(text);
      if (!problem) continue;
      (reports ??= []).push({
        message: `${change.path} is not inert when sourced: ${problem}`,
        fix: facts.commit
          ? `rewrite the commit with the .session-env claim writes (only export NAME='value' lines for SESSION_SLUG and the GIT_AUTHOR_/GIT_COMMITTER_ NAME and EMAIL), then push again`
          : `git restore --staged -- ${change.path}; let \`agent-sessions claim\` write it (only export NAME='value' lines for the five identity variables)`,
        path: change.path,
      });
    }
    return reports ?? NONE;
  },
};

export default rule;
