// policy-files: the repository's policy (agent-sessions.config.json, package.json's
// "agentSessions" key, the sessions folder's _templates/ and _bin/) changes only in a
// `[maint]` commit: work that belongs to no session, reviewed as such. It reaches the hub's
// judgement only when an admin re-pins it (`agent-sessions install-server-hook`), so a push
// that relaxes the rules never judges the pushes after it. See docs/SECURITY.md.
import type { Rule } from '../src/engine/types.ts';
import { CONFIG_FILE } from '../src/config-file.ts';
import { slugPrefixOf } from '../src/message/header.ts';
import { agentSessionsKey, isPolicyPath, PACKAGE_JSON } from '../src/policy/paths.ts';

/**
 * A cheap test every policy path passes (the config file, or `<sessions>/_templates` and
 * `<sessions>/_bin` with what lies under them): most paths fail it at a character compare,
 * and only the rest are asked isPolicyPath, which builds the folder names.
 */
export function mayBePolicy(path: string, sessions: string): boolean {
  return path === CONFIG_FILE || (path.charCodeAt(sessions.length + 1) === 0x5f && path.charCodeAt(sessions.length) === 0x2f && path.startsWith(sessions));
}

export const rule: Rule = {
  meta: {
    id: 'policy-files',
    description: "a change to the policy (agent-sessions.config.json, package.json's agentSessions, _templates/, _bin/) in a commit that is not [maint]",
    defaultSeverity: 'error',
    runsAt: ['pre-push', 'check', 'pre-receive'],
  },
  check(facts) {
    if (facts.message === undefined) return [];
    const { sessions } = facts.config.paths;
    let changed: Set<string> | undefined;
    let packageJson = false;
    for (let i = 0; i < facts.changes.length; i++) {
      const change = facts.changes[i]!;
      for (let side = 0; side < 2; side++) {
        const path = side === 0 ? change.path : change.from;
        if (path === undefined) continue;
        if (mayBePolicy(path, sessions) && isPolicyPath(path, facts.config)) (changed ??= new Set()).add(path);
        else if (path === PACKAGE_JSON) packageJson = true;
      }
    }
    if (packageJson && agentSessionsKey(facts.readBefore(PACKAGE_JSON)) !== agentSessionsKey(facts.readAfter(PACKAGE_JSON))) (changed ??= new Set()).add(`${PACKAGE_JSON}#agentSessions`);
    if (changed === undefined) return [];
    const { maintainerPrefix } = facts.config.commit;
    if (slugPrefixOf(facts.message) === maintainerPrefix) return [];
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
