import { describe, expect, it } from 'vitest';
import { pathGlob, rule } from '../../rules/staged-scope.ts';
import { runRuleTests } from '../helpers/rule-tester.ts';

const S = '2025-10-14-auth-system';
const O = '2025-10-15-billing';
const D = '_AGENTS/sessions';

runRuleTests(rule, {
  valid: [
    { name: 'named files', facts: { currentSession: S, changes: ['A src/a.ts', 'M src/b.ts'], untracked: [] } },
    { name: 'own session folder', facts: { currentSession: S, changes: [`M ${D}/active/${S}/worklog.md`] } },
    { name: 'a log added on purpose while other files stay untracked', facts: { currentSession: S, changes: ['A fixtures/app.log'], untracked: ['notes.txt'] } },
    { name: 'allow option', facts: { currentSession: S, changes: ['A fixtures/app.log'], untracked: [] }, options: { allow: ['fixtures/**'] } },
    { name: 'planner stages session folders on main', facts: { changes: [`A ${D}/drafting/${O}/SESSION.md`] } },
    { name: 'deleting a stray', facts: { currentSession: S, changes: ['D debug.log'], untracked: [] } },
    { name: 'merge being concluded', facts: { currentSession: S, merging: true, changes: [`M ${D}/planned/${O}/SESSION.md`] } },
  ],
  invalid: [
    { name: 'worktree content', facts: { currentSession: S, changes: [`A .worktrees/${S}/src/a.ts`] }, errors: [/\.worktrees/], fix: /git rm -r --cached/ },
    { name: 'worktree as embedded gitlink', facts: { currentSession: S, changes: [{ status: 'A', path: `.worktrees/${O}`, mode: '160000' }] }, errors: [/gitlink/] },
    { name: 'clone content', facts: { changes: [`A .sessions/${O}/x`] }, errors: 1 },
    { name: 'another session\'s folder', facts: { currentSession: S, changes: [`M ${D}/active/${O}/worklog.md`] }, errors: [/belongs to session/], fix: `git restore --staged -- ${D}/active/${O}/worklog.md` },
    { name: 'another session\'s .session-env', facts: { currentSession: S, changes: [`M ${D}/active/${O}/.session-env`] }, errors: [/identity file/] },
    { name: '.session-env outside any session', facts: { changes: [`A ${D}/active/${O}/.session-env`] }, errors: 1 },
    { name: 'git add . signature', facts: { currentSession: S, changes: ['A src/a.ts', 'A debug.log', 'A src/.a.ts.swp', 'A notes.txt~'], untracked: [] }, errors: 3 },
    { name: 'custom stray patterns', facts: { currentSession: S, changes: ['A out.dump'], untracked: [] }, options: { strayPatterns: ['*.dump'] }, errors: 1 },
  ],
});

describe('pathGlob', () => {
  it('matches ** across folders, * and ? within one', () => {
    expect(pathGlob('fixtures/**/*.log').test('fixtures/a/b/x.log')).toBe(true);
    expect(pathGlob('fixtures/**/*.log').test('fixtures/x.log')).toBe(true);
    expect(pathGlob('fixtures/*.log').test('fixtures/a/x.log')).toBe(false);
    expect(pathGlob('logs/app.?.log').test('logs/app.1.log')).toBe(true);
    expect(pathGlob('a.log').test('aXlog')).toBe(false);
  });
});
