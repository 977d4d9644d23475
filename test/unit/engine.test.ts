// The engine: which rules run (run point, config severity, options), what a violation carries
// (rule id, severity, the report, the commit in history), a rule that throws (reported under
// its own id), and the sync path staying synchronous until a rule returns a promise.
import { describe, expect, it } from 'vitest';
import { defaultConfig, type Config, type Severity } from '../../src/config.ts';
import { activeRules, hasErrors, RuleCrash, runRules, type ActiveRule } from '../../src/engine/engine.ts';
import type { Facts, Rule, RuleReport, RunPoint } from '../../src/engine/types.ts';
import { historyCommit, makeFacts } from '../helpers/rule-tester.ts';

function rule(id: string, check: Rule['check'], runsAt: RunPoint[] = ['pre-commit', 'check'], defaultSeverity: Severity = 'error'): Rule {
  return { meta: { id, description: `the ${id} rule for tests`, defaultSeverity, runsAt }, check };
}
const report = (message: string, extra: Partial<RuleReport> = {}): RuleReport => ({ message, fix: `fix ${message}`, ...extra });
const active = (r: Rule, severity: 'error' | 'warn' = 'error', options: Record<string, unknown> = {}): ActiveRule => ({ rule: r, severity, options });
const withRules = (rules: Config['rules']): Config => ({ ...defaultConfig(), rules });

describe('activeRules', () => {
  const a = rule('a', () => []);
  const b = rule('b', () => [], ['commit-msg']);
  const c = rule('c', () => [], ['pre-commit'], 'warn');
  const d = rule('d', () => [], ['pre-commit'], 'off');

  it('keeps the rules of the run point with their default severity and no options', () => {
    expect(activeRules([a, b, c, d], defaultConfig(), 'pre-commit')).toEqual([
      { rule: a, severity: 'error', options: {} },
      { rule: c, severity: 'warn', options: {} },
    ]);
    expect(activeRules([a, b, c, d], defaultConfig(), 'commit-msg')).toEqual([{ rule: b, severity: 'error', options: {} }]);
  });

  it('applies the configured severity and options: a string, [severity], [severity, options], off', () => {
    const config = withRules({ a: 'off', c: ['error'], d: ['warn', { level: 3 }] });
    expect(activeRules([a, c, d], config, 'pre-commit')).toEqual([
      { rule: c, severity: 'error', options: {} },
      { rule: d, severity: 'warn', options: { level: 3 } },
    ]);
    expect(activeRules([a], withRules({ a: 'warn' }), 'check')).toEqual([{ rule: a, severity: 'warn', options: {} }]);
  });
});

describe('runRules', () => {
  const facts: Facts = makeFacts({});
  const inHistory: Facts = makeFacts({ commit: historyCommit(true), message: '[maint] chore: x' });

  it('is synchronous for synchronous rules and tags each report with rule, severity and, in history, the commit', () => {
    const one = rule('one', () => [report('first', { path: 'a.txt', line: 3 }), report('second')]);
    const two = rule('two', () => [report('third')]);
    const out = runRules([active(one), active(two, 'warn')], facts);
    expect(Array.isArray(out)).toBe(true);
    expect(out).toEqual([
      { rule: 'one', severity: 'error', message: 'first', fix: 'fix first', path: 'a.txt', line: 3 },
      { rule: 'one', severity: 'error', message: 'second', fix: 'fix second' },
      { rule: 'two', severity: 'warn', message: 'third', fix: 'fix third' },
    ]);
    expect(runRules([active(two)], inHistory)).toEqual([{ rule: 'two', severity: 'error', message: 'third', fix: 'fix third', commit: inHistory.commit!.sha }]);
    expect(runRules([], facts)).toEqual([]);
  });

  it('passes each rule its own options', () => {
    const seen: unknown[] = [];
    const r = rule('opts', (_f, options) => (seen.push(options), []));
    runRules([active(r, 'error', { x: 1 }), active(r, 'error', { y: 2 })], facts);
    expect(seen).toEqual([{ x: 1 }, { y: 2 }]);
  });

  it('goes asynchronous from the first rule that returns a promise, keeping the order', async () => {
    const calls: string[] = [];
    const sync = (id: string) => rule(id, () => (calls.push(id), [report(id)]));
    const later = rule('later', async () => (calls.push('later'), [report('later')]));
    const out = runRules([active(sync('s1')), active(later, 'warn'), active(sync('s2')), active(later)], inHistory);
    expect(out).toBeInstanceOf(Promise);
    expect((await out).map((v) => `${v.rule}:${v.severity}:${v.message}:${v.commit === inHistory.commit!.sha}`)).toEqual([
      's1:error:s1:true',
      'later:warn:later:true',
      's2:error:s2:true',
      'later:error:later:true',
    ]);
    expect(calls).toEqual(['s1', 'later', 's2', 'later']);
  });

  it('reports a rule that throws under its own id, with the first line of the cause', async () => {
    const boom = rule('boom', () => {
      throw new Error('first line\nsecond line');
    });
    const ok = rule('ok', () => []);
    expect(() => runRules([active(ok), active(boom)], facts)).toThrow(RuleCrash);
    try {
      runRules([active(boom)], facts);
    } catch (err) {
      expect(err).toBeInstanceOf(RuleCrash);
      expect((err as RuleCrash).ruleId).toBe('boom');
      expect((err as Error).message).toBe('rule boom failed internally: first line');
    }
    const text = rule('text', () => {
      throw 'a plain string';
    });
    expect(() => runRules([active(text)], facts)).toThrow('rule text failed internally: a plain string');
    // after a rule went asynchronous: a rejection, and a later synchronous throw
    const rejects = rule('rejects', async () => {
      throw new Error('async cause');
    });
    const pending = rule('pending', async () => []);
    await expect(runRules([active(rejects)], facts)).rejects.toMatchObject({ ruleId: 'rejects', message: 'rule rejects failed internally: async cause' });
    await expect(runRules([active(pending), active(boom)], facts)).rejects.toMatchObject({ ruleId: 'boom' });
  });

  it('treats only a thenable as a promise', () => {
    const odd = rule('odd', () => Object.assign([report('x')], { then: 'not a function' }));
    expect(runRules([active(odd)], facts)).toEqual([{ rule: 'odd', severity: 'error', message: 'x', fix: 'fix x' }]);
  });
});

describe('hasErrors', () => {
  it('is true exactly when a violation has severity error', () => {
    const v = (severity: 'error' | 'warn') => ({ rule: 'r', severity, message: 'm', fix: 'f' });
    expect(hasErrors([])).toBe(false);
    expect(hasErrors([v('warn'), v('warn')])).toBe(false);
    expect(hasErrors([v('warn'), v('error')])).toBe(true);
  });
});
