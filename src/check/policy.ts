// `check` judges a range with the policy of the range's BASE, never with the policy the range
// itself brings (a pushed "rules: off" must not judge its own range), and reports a policy
// change inside the range as its own finding (`policy-change`, a warning: a [maint] policy
// change is legal, but a reviewer should see it, and the hub applies it only when re-pinned).
import type { Config } from '../config.ts';
import type { Violation } from '../engine/types.ts';
import { hasPath, policyAt, policyChanges, policyDigest } from '../policy/pinned.ts';

export const POLICY_CHANGE = 'policy-change';

export interface RangePolicy {
  config: Config;
  findings: Violation[];
}

/**
 * The config to judge `base..end` with, and the policy-change finding. Without a base (the
 * whole history), or with a base from before the adoption, there is no earlier policy: the
 * repository's own config is used.
 */
export function rangePolicy(cwd: string, base: string | undefined, end: string, fallback: Config, ruleIds: readonly string[]): RangePolicy {
  if (base === undefined) return { config: fallback, findings: [] };
  const atBase = policyAt(cwd, base, ruleIds);
  // A base from before the adoption (no config, no sessions folder) has no policy to keep:
  // the range brings the first one, and is judged by it (its paths may not be the defaults).
  const adopted = atBase.source !== 'defaults' || hasPath(cwd, base, atBase.config.paths.sessions);
  const config = adopted ? { ...atBase.config, source: `${atBase.source} at the range's base ${base.slice(0, 12)}` } : fallback;
  const changes = policyChanges(policyDigest(cwd, base, config), policyDigest(cwd, end, config), config);
  if (changes.length === 0) return { config, findings: [] };
  return {
    config,
    findings: [
      {
        rule: POLICY_CHANGE,
        severity: 'warn',
        message: `this range changes the repository's policy (${changes.join(', ')}); it was judged with ${adopted ? `the policy of its base (${atBase.source})` : 'the checkout\'s policy (its base predates the adoption)'}, and the hub applies the new one only when an admin re-pins it`,
        fix: `review the policy change like code; once it is on ${config.git.mainBranch}, an admin runs \`agent-sessions install-server-hook <hub>\` on the hub`,
        path: changes[0]!.replace(/#agentSessions$/, '').replace(/\/$/, ''),
      },
    ],
  };
}
