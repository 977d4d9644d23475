// Judges every commit of a revision range with every history rule that serves the run
// point: facts (one streamed git log) -> rules -> violations. Shared by `check`, the
// pre-push hook and the hub's pre-receive hook, so all three judge history the same way.
import { rules } from '../../rules/index.ts';
import { activeRules, RuleCrash, runRules } from '../engine/engine.ts';
import { walkHistory, type Verdict, type WalkOptions } from '../engine/facts-history.ts';
import type { Facts, Violation } from '../engine/types.ts';

export interface JudgeOptions extends WalkOptions {
  /** Only these rule ids (pre-push runs a subset); default: every rule for the run point. */
  only?: readonly string[];
  /** Stop collecting after this many violations (hooks keep their output short). */
  limit?: number;
}

export interface JudgeResult {
  commits: number;
  violations: Violation[];
  /** True when `limit` cut the list short. */
  truncated: boolean;
}

export async function judgeHistory(options: JudgeOptions): Promise<JudgeResult> {
  const active = activeRules(rules, options.config, options.runPoint).filter((a) => !options.only || options.only.includes(a.rule.meta.id));
  const violations: Violation[] = [];
  let commits = 0;
  let truncated = false;
  if (active.length === 0) return { commits, violations, truncated };
  /** Records what the rules found; true (stop the walk) once `limit` is reached. */
  const take = (found: readonly Violation[]): boolean => {
    for (const violation of found) violations.push(violation);
    if (options.limit !== undefined && violations.length >= options.limit) truncated = true;
    return truncated;
  };
  // A rule that throws is reported under its own id; the walk goes on.
  const crashed = (err: unknown, facts: Facts): boolean => {
    if (!(err instanceof RuleCrash)) throw err;
    return take([{ rule: err.ruleId, severity: 'error', message: err.message, fix: 'report this as a bug of agent-sessions (AGENT_SESSIONS_DEBUG=1 shows details)', commit: facts.commit?.sha }]);
  };
  // A merge is judged once per parent already on the guarded branch (consecutive visits with
  // the same commit): counted once, and what several judgements find is reported once.
  let current: string | undefined;
  let pending: Violation[] | undefined;
  const seen = new Set<string>();
  const fresh = (found: readonly Violation[]): Violation[] =>
    found.filter((v) => {
      const key = `${v.rule}\0${v.path ?? ''}\0${v.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  await walkHistory(options, (facts) => {
    const sha = facts.commit?.sha;
    if (sha !== current || sha === undefined) {
      commits++;
      current = sha;
      seen.clear();
      pending = undefined;
    }
    let found;
    try {
      found = runRules(active, facts);
    } catch (err) {
      return crashed(err, facts);
    }
    const anyParent = facts.commit?.anyParent;
    // A merge that need be legal against only one parent: its first judgement's findings wait
    // while other parents are tried, and are dropped when one of them passes.
    const settle = (list: Violation[]): Verdict => {
      if (!anyParent) return take(fresh(list));
      const failed = list.some((v) => v.severity === 'error');
      if (failed && anyParent.more) {
        pending ??= list;
        return 'again';
      }
      const report = failed ? (pending ?? list) : list.filter((v) => v.severity !== 'error');
      pending = undefined;
      return take(fresh(report));
    };
    return Array.isArray(found) ? settle(found) : found.then(settle, (err: unknown) => crashed(err, facts));
  });
  return { commits, violations, truncated };
}
