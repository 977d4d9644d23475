// session-files: a session's commit writes its own folder only (docs/SECURITY.md: an agent
// holding a session may not write another session's files); the one exception is the kb merge
// session a completion plans, new in that commit.
import { rule } from '../../rules/session-files.ts';
import type { Facts } from '../../src/engine/types.ts';
import { historyCommit, runRuleTests } from '../helpers/rule-tester.ts';

const A = '2025-10-14-auth-system';
const B = '2025-10-15-billing';
const KB = 'kb-2025-10-16-merge-auth-system';
const D = '_AGENTS/sessions';
const onMain = historyCommit(true);
/** A merge that need be legal against any one of its parents (off main). */
const anyMerge = (): NonNullable<Facts['commit']> => ({ ...historyCommit(false, 2), anyParent: { more: false } });

runRuleTests(rule, {
  valid: [
    { name: "a session's commit writes its own folder", facts: { commit: onMain, message: `[${A}] docs: worklog`, sessions: { [A]: 'active', [B]: 'active' }, changes: [`M ${D}/active/${A}/worklog.md`, 'M src/a.ts'] } },
    { name: 'its own move (a claim, a completion)', facts: { commit: onMain, message: `[${A}] chore: complete session (active -> completed)`, sessions: { [A]: 'active' }, changes: [`R ${D}/active/${A}/worklog.md ${D}/completed/${A}/worklog.md`, `A ${D}/completed/${A}/${A}.patch`] } },
    { name: 'the completion plans its kb merge session, new in that commit', facts: { commit: onMain, message: `[${A}] chore: complete session (active -> completed)`, sessions: { [A]: 'active' }, changes: [`R ${D}/active/${A}/SESSION.md ${D}/completed/${A}/SESSION.md`, `A ${D}/planned/${KB}/SESSION.md`] } },
    { name: 'an OVERRIDE of its own SESSION.md', facts: { commit: onMain, message: `[${A}] OVERRIDE: fix the plan`, sessions: { [A]: 'active' }, changes: [`M ${D}/active/${A}/SESSION.md`] } },
    { name: 'a [maint] commit is maint-scope\'s', facts: { commit: onMain, message: '[maint] chore: tidy', sessions: { [B]: 'active' }, changes: [`M ${D}/active/${B}/worklog.md`] } },
    { name: 'commit time (staged-scope judges it there)', facts: { message: `[${A}] docs: x`, currentSession: A, sessions: { [B]: 'active' }, changes: [`M ${D}/active/${B}/worklog.md`] } },
    { name: "a git pull of main takes another session's files as main has them", facts: { commit: anyMerge(), message: "Merge branch 'main' into session/x", sessions: { [B]: 'active' }, changes: [`M ${D}/active/${B}/worklog.md`] } },
    { name: "a session's pull of main (its own header) takes another session's files", facts: { commit: anyMerge(), message: `[${A}] chore: merge main`, sessions: { [A]: 'active', [B]: 'active' }, changes: [`M ${D}/active/${B}/worklog.md`], taken: [`${D}/active/${B}/worklog.md`] } },
    { name: "a pull request merged into main from a branch behind it takes main's moves of other sessions", facts: { commit: historyCommit(true, 2), message: `[${A}] chore: merge session/${A} (#2)`, sessions: { [B]: 'active' }, changes: [`R ${D}/active/${B}/worklog.md ${D}/abandoned/${B}/worklog.md`, `M ${D}/active/${A}/worklog.md`], taken: [`${D}/active/${B}/worklog.md`, `${D}/abandoned/${B}/worklog.md`] } },
    { name: 'something in a state folder that is no session (lifecycle judges it)', facts: { commit: onMain, message: `[${A}] docs: x`, changes: [`A ${D}/active/Not-A-Slug/x`] } },
    { name: 'paths outside the sessions folder', facts: { commit: onMain, message: `[${A}] feat: x`, changes: ['M src/a.ts', `A ${D}-notes/active/${B}/x.md`] } },
  ],
  invalid: [
    {
      name: "a session's commit edits another session's worklog",
      facts: { commit: onMain, message: `[${A}] docs: worklog`, sessions: { [A]: 'active', [B]: 'completed' }, changes: [`M ${D}/completed/${B}/worklog.md`] },
      errors: [/^a \[2025-10-14-auth-system\] commit writes the files of session 2025-10-15-billing \(_AGENTS\/sessions\/completed\/2025-10-15-billing\/worklog\.md\); a session writes only its own folder$/],
      fix: /^drop those changes from commit c0ffee000000 \(git rebase -i c0ffee000000\^\); session 2025-10-15-billing's files change only in its own \[2025-10-15-billing\] commits/,
    },
    { name: "removing another session's patch", facts: { commit: onMain, message: `[${A}] chore: x`, sessions: { [B]: 'completed' }, changes: [`D ${D}/completed/${B}/${B}.patch`] }, errors: 1 },
    { name: 'a rename out of another session folder', facts: { commit: onMain, message: `[${A}] chore: x`, sessions: { [B]: 'planned' }, changes: [`R ${D}/planned/${B}/SESSION.md docs/plan.md`] }, errors: [/\(_AGENTS\/sessions\/planned\/2025-10-15-billing\/SESSION\.md\)/] },
    { name: 'a rename into another session folder', facts: { commit: onMain, message: `[${A}] chore: x`, changes: [`R docs/plan.md ${D}/drafting/${B}/active-plan.md`] }, errors: 1 },
    { name: 'an existing kb session written by another session', facts: { commit: onMain, message: `[${A}] chore: x`, sessions: { [KB]: 'planned' }, changes: [`A ${D}/planned/${KB}/notes.md`] }, errors: [/session kb-2025-10-16-merge-auth-system/] },
    { name: 'a new session folder that is no kb session', facts: { commit: onMain, message: `[${A}] chore: x`, changes: [`A ${D}/planned/${B}/SESSION.md`] }, errors: 1 },
    { name: 'anything but SESSION.md in the new kb session', facts: { commit: onMain, message: `[${A}] chore: complete session (active -> completed)`, changes: [`A ${D}/planned/${KB}/SESSION.md`, `A ${D}/planned/${KB}/notes.md`] }, errors: [/\(_AGENTS\/sessions\/planned\/kb-2025-10-16-merge-auth-system\/notes\.md\)/] },
    { name: 'a new kb session anywhere but planned/', facts: { commit: onMain, message: `[${A}] chore: x`, changes: [`A ${D}/active/${KB}/SESSION.md`] }, errors: 1 },
    { name: "an OVERRIDE of another session's SESSION.md", facts: { commit: onMain, message: `[${A}] OVERRIDE: fix`, sessions: { [B]: 'active' }, changes: [`M ${D}/active/${B}/SESSION.md`] }, errors: 1 },
    { name: 'a session pull of main that adds a file neither side has (an evil merge)', facts: { commit: anyMerge(), message: `[${A}] chore: merge main`, sessions: { [B]: 'active' }, changes: [`M ${D}/active/${B}/worklog.md`, `A ${D}/active/${B}/extra.md`], taken: [`${D}/active/${B}/worklog.md`] }, errors: [/\(_AGENTS\/sessions\/active\/2025-10-15-billing\/extra\.md\)\)?;/] },
    { name: 'an evil merge on main (a file neither parent has)', facts: { commit: historyCommit(true, 2), message: `[${A}] chore: merge`, sessions: { [B]: 'active' }, changes: [`M ${D}/active/${B}/worklog.md`, `A ${D}/active/${B}/extra.md`], taken: [`${D}/active/${B}/worklog.md`] }, errors: [/\(_AGENTS\/sessions\/active\/2025-10-15-billing\/extra\.md\)/] },
    {
      name: 'one report per session, three paths named and the count of the rest',
      facts: { commit: onMain, message: `[${A}] chore: x`, changes: [`M ${D}/active/${B}/a.md`, `M ${D}/active/${B}/b.md`, `M ${D}/active/${B}/c.md`, `M ${D}/active/${B}/d.md`, `M ${D}/planned/2025-10-17-other/SESSION.md`] },
      errors: [/\(_AGENTS\/sessions\/active\/2025-10-15-billing\/a\.md, .*\/b\.md, .*\/c\.md and 1 more\)/, /session 2025-10-17-other/],
    },
  ],
});
