// policy-files: the repository's policy (agent-sessions.config.json, package.json's
// "agentSessions" key, the sessions folder's _templates/ and _bin/) changes only in a
// `[maint]` commit: work that belongs to no session, reviewed as such. It reaches the hub's
// judgement only when an admin re-pins it (`agent-sessions install-server-hook`), so a push
// that relaxes the rules never judges the pushes after it. See docs/SECURITY.md.
import type { Rule } from '../src/engine/types.ts';
import { agentSessionsKey, isPolicyPath, PACKAGE_JSON } from '../src/policy/paths.ts';

const PREFIX = /^\[([^\]\s]+)\]/;

export const rule: Rule = {
  meta: {
    id: 'policy-files',
    description: "a change to the policy (agent-sessions.config.json, package.json's agentSessions, _templates/, _bin/) in a commit that is not [maint]",
    defaultSeverity: 'error',
    runsAt: ['pre-push', 'check', 'pre-receive'],
  },
  check(facts) {
    if (facts.message === undefined) return [];
    const changed = new Set<string>();
    let packageJson = false;
    for (const change of facts.changes) {
      for (const path of change.from === undefined ? [change.path] : [change.path, change.from]) {
        if (isPolicyPath(path, facts.config)) changed.add(path);
        else if (path === PACKAGE_JSON) packageJson = true;
      }
    }
    if (packageJson && agentSessionsKey(facts.readBefore(PACKAGE_JSON)) !== agentSessionsKey(facts.readAfter(PACKAGE_JSON))) changed.add(`${PACKAGE_JSON}#agentSessions`);
    if (changed.size === 0) return [];
    const { maintainerPrefix } = facts.config.commit;
    if (PREFIX.exec(facts.message)?.[1] === maintainerPrefix) return [];
    const paths = [...changed].sort();
    const shown = paths.length > 3 ? `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more` : paths.join(', ');
    return [
      {
        message: `changes the repository's policy (${shown}) outside a [${maintainerPrefix}] commit`,
        fix: `move the policy change into its own commit \`[${maintainerPrefix}] chore: <what changes>\` (git rebase -i, split the commit); the hub applies it once an admin re-runs install-server-hook`,
        path: paths[0]!.replace(/#agentSessions$/, ''),
      },
    ];
  },
};

export default rule;
