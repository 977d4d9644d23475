// The engine knows no rule by name: it filters the rule index by run point and config,
// runs each check, applies severity. A rule that throws is reported under its own id.
import type { Config, RuleSetting, Severity } from '../config.ts';
import type { Facts, Rule, RunPoint, Violation } from './types.ts';

export interface ActiveRule {
  rule: Rule;
  severity: Exclude<Severity, 'off'>;
  options: Record<string, unknown>;
}

function readSetting(setting: RuleSetting | undefined): { severity?: Severity; options: Record<string, unknown> } {
  if (setting === undefined) return { options: {} };
  if (typeof setting === 'string') return { severity: setting, options: {} };
  return { severity: setting[0], options: (setting[1] as Record<string, unknown> | undefined) ?? {} };
}

export function activeRules(rules: readonly Rule[], config: Config, runPoint: RunPoint): ActiveRule[] {
  const out: ActiveRule[] = [];
  for (const rule of rules) {
    if (!rule.meta.runsAt.includes(runPoint)) continue;
    const { severity, options } = readSetting(config.rules[rule.meta.id]);
    const effective = severity ?? rule.meta.defaultSeverity;
    if (effective === 'off') continue;
    out.push({ rule, severity: effective, options });
  }
  return out;
}

export class RuleCrash extends Error {
  readonly ruleId: string;
  constructor(ruleId: string, cause: unknown) {
    super(`rule ${ruleId} failed internally: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`);
    this.ruleId = ruleId;
  }
}

export async function runRules(active: readonly ActiveRule[], facts: Facts): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const { rule, severity, options } of active) {
    let reports;
    try {
      reports = await rule.check(facts, options);
    } catch (err) {
      throw new RuleCrash(rule.meta.id, err);
    }
    for (const report of reports) {
      violations.push({ rule: rule.meta.id, severity, ...report, ...(facts.commit ? { commit: facts.commit.sha } : {}) });
    }
  }
  return violations;
}

export function hasErrors(violations: readonly Violation[]): boolean {
  return violations.some((v) => v.severity === 'error');
}
