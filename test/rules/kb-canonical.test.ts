import { rule } from '../../rules/kb-canonical.ts';
import { historyCommit, runRuleTests } from '../helpers/rule-tester.ts';

const S = '2025-10-14-auth-system';
const KB = 'kb-2025-10-20-merge-auth-system';
const K = '_AGENTS/knowledge';

runRuleTests(rule, {
  valid: [
    { name: 'own learnings', facts: { currentSession: S, changes: [`A ${K}/sessions/${S}/learnings.md`] } },
    { name: 'kb session writes canonical knowledge', facts: { currentSession: KB, changes: [`M ${K}/auth.md`, `A ${K}/sessions/${KB}/learnings.md`] } },
    { name: '.gitkeep outside a session (layout adoption)', facts: { changes: [`A ${K}/.gitkeep`, `A ${K}/sessions/.gitkeep`] } },
    { name: 'code only', facts: { currentSession: S, changes: ['M src/a.ts'] } },
    { name: 'history: completion commit carries own learnings', facts: { commit: historyCommit(true), message: `[${S}] feat: auth`, changes: [`A ${K}/sessions/${S}/learnings.md`] } },
    { name: 'history: kb completion writes canonical', facts: { commit: historyCommit(true), message: `[${KB}] docs: merge learnings`, changes: [`M ${K}/auth.md`] } },
    { name: 'merge being concluded', facts: { currentSession: S, merging: true, changes: [`M ${K}/auth.md`] } },
    { name: 'history: merge commit', facts: { commit: historyCommit(false, 2), message: "Merge branch 'main'", changes: [`M ${K}/auth.md`] } },
  ],
  invalid: [
    { name: 'non-kb session writes canonical', facts: { currentSession: S, changes: [`M ${K}/auth.md`] }, errors: [/only kb- sessions/], fix: `git restore --staged -- ${K}/auth.md` },
    { name: 'canonical outside any session', facts: { changes: [`A ${K}/new.md`] }, errors: [/outside any session/] },
    { name: 'another session\'s learnings', facts: { currentSession: S, changes: [`M ${K}/sessions/2025-10-15-billing/learnings.md`] }, errors: [/learnings of session 2025-10-15-billing/] },
    { name: 'kb session writes another session\'s learnings', facts: { currentSession: KB, changes: [`M ${K}/sessions/${S}/learnings.md`] }, errors: 1 },
    { name: 'moving canonical knowledge out counts', facts: { currentSession: S, changes: [`R ${K}/auth.md docs/auth.md`] }, errors: 1 },
    { name: 'history: maint writes canonical', facts: { commit: historyCommit(true), message: '[maint] docs: kb', changes: [`M ${K}/auth.md`] }, errors: 1 },
  ],
});
