import { rule } from '../../rules/kb-canonical.ts';
import type { Facts } from '../../src/engine/types.ts';
import { historyCommit, runRuleTests } from '../helpers/rule-tester.ts';

const S = '2025-10-14-auth-system';
const KB = 'kb-2025-10-20-merge-auth-system';
const K = '_AGENTS/knowledge';
/** A merge that need be legal against any one of its parents (off main: a `git pull`). */
const anyMerge = (more = false): NonNullable<Facts['commit']> => ({ ...historyCommit(false, 2), anyParent: { more } });

runRuleTests(rule, {
  valid: [
    { name: 'own learnings', facts: { currentSession: S, changes: [`A ${K}/sessions/${S}/learnings.md`] } },
    { name: 'kb session writes canonical knowledge', facts: { currentSession: KB, sessions: { [KB]: 'active' }, changes: [`M ${K}/auth.md`, `A ${K}/sessions/${KB}/learnings.md`] } },
    { name: '.gitkeep outside a session (layout adoption)', facts: { changes: [`A ${K}/.gitkeep`, `A ${K}/sessions/.gitkeep`] } },
    { name: 'code only', facts: { currentSession: S, changes: ['M src/a.ts'] } },
    { name: 'history: completion commit carries own learnings', facts: { commit: historyCommit(true), message: `[${S}] feat: auth`, changes: [`A ${K}/sessions/${S}/learnings.md`] } },
    { name: 'history: kb completion writes canonical', facts: { commit: historyCommit(true), message: `[${KB}] docs: merge learnings`, sessions: { [KB]: 'active' }, changes: [`M ${K}/auth.md`] } },
    { name: 'history: an active kb session renames canonical knowledge', facts: { commit: historyCommit(false), message: `[${KB}] docs: move the guide`, sessions: { [KB]: 'active' }, changes: [`R ${K}/auth.md ${K}/guides/auth.md`] } },
    { name: 'history: an OVERRIDE commit of an active kb session is that session\'s', facts: { commit: historyCommit(true), message: `[${KB}] OVERRIDE: restore the guide`, sessions: { [KB]: 'active' }, changes: [`M ${K}/auth.md`] } },
    { name: 'merge being concluded', facts: { currentSession: S, merging: true, changes: [`M ${K}/auth.md`] } },
    { name: 'history: a pull of main takes its canonical knowledge unchanged', facts: { commit: anyMerge(), message: "Merge branch 'main'", changes: [`M ${K}/auth.md`, `A ${K}/sessions/${KB}/learnings.md`], taken: [`${K}/auth.md`, `${K}/sessions/${KB}/learnings.md`] } },
    { name: 'history: a merge on main that writes its own learnings', facts: { commit: historyCommit(true, 2), message: `[${S}] feat: merge`, changes: [`A ${K}/sessions/${S}/learnings.md`] } },
  ],
  invalid: [
    { name: 'non-kb session writes canonical', facts: { currentSession: S, changes: [`M ${K}/auth.md`] }, errors: [/only kb- sessions/], fix: `git restore --staged -- ${K}/auth.md` },
    { name: 'canonical outside any session', facts: { changes: [`A ${K}/new.md`] }, errors: [/outside any session/] },
    { name: 'another session\'s learnings', facts: { currentSession: S, changes: [`M ${K}/sessions/2025-10-15-billing/learnings.md`] }, errors: [/learnings of session 2025-10-15-billing/] },
    { name: 'kb session writes another session\'s learnings', facts: { currentSession: KB, changes: [`M ${K}/sessions/${S}/learnings.md`] }, errors: 1 },
    { name: 'moving canonical knowledge out counts', facts: { currentSession: S, changes: [`R ${K}/auth.md docs/auth.md`] }, errors: 1 },
    { name: 'history: a merge on main writes canonical knowledge', facts: { commit: historyCommit(true, 2), message: `[${S}] feat: merge work`, changes: [`A ${K}/guide.md`] }, errors: [/session 2025-10-14-auth-system writes canonical knowledge/] },
    { name: "history: a merge on main writes another session's learnings", facts: { commit: historyCommit(true, 2), message: `[${S}] feat: merge work`, changes: [`A ${K}/sessions/${KB}/learnings.md`] }, errors: [/learnings of session kb-/] },
    { name: 'history: a pull of main adds knowledge neither side has (an evil merge)', facts: { commit: anyMerge(true), message: "Merge branch 'main'", changes: [`M ${K}/auth.md`, `A ${K}/extra.md`], taken: [`${K}/auth.md`] }, errors: [/extra\.md\) is written outside any session/] },
    { name: 'history: a merge on main is judged whole, whatever its other parent has', facts: { commit: historyCommit(true, 2), message: `[${S}] feat: merge work`, changes: [`A ${K}/guide.md`], taken: [`${K}/guide.md`] }, errors: 1 },
    { name: 'history: a merge with no other parent to ask is judged whole', facts: { commit: anyMerge(), message: "Merge branch 'main'", changes: [`M ${K}/auth.md`] }, errors: 1 },
    { name: 'kb session that is only planned (never claimed)', facts: { currentSession: KB, sessions: { [KB]: 'planned' }, changes: [`M ${K}/auth.md`] }, errors: [/kb- session kb-2025-10-20-merge-auth-system writes canonical knowledge \(_AGENTS\/knowledge\/auth\.md\) but is planned on HEAD, not active/], fix: /agent-sessions claim kb-2025-10-20-merge-auth-system/ },
    { name: 'history: a kb slug that names no session', facts: { commit: historyCommit(true), message: `[${KB}] docs: merge learnings`, changes: [`A ${K}/guide.md`] }, errors: [/but does not exist in its parent/], fix: /agent-sessions claim kb-2025-10-20-merge-auth-system.*git rebase -i c0ffee000000\^/ },
    { name: 'history: a kb session already completed in the parent', facts: { commit: historyCommit(true), message: `[${KB}] docs: more`, sessions: { [KB]: 'completed' }, changes: [`M ${K}/auth.md`, `A ${K}/sessions/${KB}/learnings.md`] }, errors: [/is completed in its parent, not active/] },
    { name: 'history: a planned kb session renames canonical knowledge away (both sides count once)', facts: { commit: historyCommit(true), message: `[${KB}] docs: move`, sessions: { [KB]: 'planned' }, changes: [`R ${K}/auth.md ${K}/old/auth.md`] }, errors: [/auth\.md\) but is planned/, /old\/auth\.md\) but is planned/] },
    { name: "history: maint writes a session's learnings", facts: { commit: historyCommit(true), message: '[maint] docs: tidy', changes: [`M ${K}/sessions/${S}/learnings.md`] }, errors: [/^the learnings of session 2025-10-14-auth-system \(_AGENTS\/knowledge\/sessions\/2025-10-14-auth-system\/learnings\.md\) are written outside that session$/] },
    { name: 'history: maint writes canonical', facts: { commit: historyCommit(true), message: '[maint] docs: kb', changes: [`M ${K}/auth.md`] }, errors: 1 },
  ],
});
