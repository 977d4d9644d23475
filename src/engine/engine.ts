// The engine knows no rule by name: it filters the rule index by run point and config,
// runs each check, applies severity. A rule that throws is reported under its own id.
import type { Config, RuleSetting, Severity } from '../config.ts';
import type { Facts, Rule, RuleReport, RunPoint, Violation } from './types.ts';

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

/**
 * Runs every active rule on `facts`. Synchronous rules are called in turn without an await
 * between them (a history check calls this once per commit); only a rule that returns a
 * promise makes the whole call asynchronous.
 */
export function runRules(active: readonly ActiveRule[], facts: Facts): Violation[] | Promise<Violation[]> {
  const violations: Violation[] = [];
  for (let i = 0; i < active.length; i++) {
    const entry = active[i]!;
    let reports: ReturnType<Rule['check']>;
    try {
      reports = entry.rule.check(facts, entry.options);
    } catch (err) {
      throw new RuleCrash(entry.rule.meta.id, err);
    }
    // Almost every answer is an empty array: no promise test, nothing to collect.
    if (!Array.isArray(reports)) {
      if (isPromise(reports)) return finishAsync(active, facts, violations, i, reports);
    } else if (reports.length === 0) continue;
    collect(violations, entry, facts, reports);
  }
  return violations;
}

async function finishAsync(active: readonly ActiveRule[], facts: Facts, violations: Violation[], from: number, pending: Promise<readonly RuleReport[]>): Promise<Violation[]> {
  for (let i = from; i < active.length; i++) {
    const entry = active[i]!;
    let reports;
    try {
      reports = i === from ? await pending : await entry.rule.check(facts, entry.options);
    } catch (err) {
      throw new RuleCrash(entry.rule.meta.id, err);
    }
    collect(violations, entry, facts, reports);
  }
  return violations;
}

function collect(violations: Violation[], { rule, severity }: ActiveRule, facts: Facts, reports: readonly RuleReport[]): void {
  for (const report of reports) {
    violations.push({ rule: rule.meta.id, severity, ...report, ...(facts.commit ? { commit: facts.commit.sha } : {}) });
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

export function hasErrors(violations: readonly Violation[]): boolean {
  return violations.some((v) => v.severity === 'error');
}
