// maint-scope: a [maint] commit writes no session's files (PROTOCOL.md: a maint commit may not
// write canonical knowledge or any session's files).
import { rule } from '../../rules/maint-scope.ts';
import type { Facts } from '../../src/engine/types.ts';
import { historyCommit, runRuleTests } from '../helpers/rule-tester.ts';

const A = '2025-10-14-auth-system';
const B = '2025-10-15-billing';
const D = '_AGENTS/sessions';
const M = '[maint] chore: tidy';
const onMain = historyCommit(true);
/** A merge that need be legal against any one of its parents (off main). */
const anyMerge = (): NonNullable<Facts['commit']> => ({ ...historyCommit(false, 2), anyParent: { more: false } });

runRuleTests(rule, {
  valid: [
    {
      name: "init's adoption: .gitkeep in every state folder, templates, wrappers, README, lock file",
      facts: {
        commit: onMain,
        message: '[maint] chore: adopt agent-sessions',
        changes: [
          ...['drafting', 'planned', 'active', 'completed', 'abandoned'].map((s) => `A ${D}/${s}/.gitkeep`),
          `A ${D}/_templates/.gitkeep`,
          `A ${D}/_bin/claim-session`,
          `A ${D}/SESSIONS-README.md`,
          `A ${D}/sessions.lock`,
          'A _AGENTS/knowledge/.gitkeep',
          'A agent-sessions.config.json',
        ],
      },
    },
    { name: 'an upgrade of templates and wrappers', facts: { commit: onMain, message: '[maint] chore: upgrade agent-sessions', changes: [`M ${D}/_templates/SESSION.md.j2`, `M ${D}/_bin/complete-session`] } },
    { name: 'a [maint] commit of code only', facts: { commit: onMain, message: M, changes: ['M src/a.ts', `M ${D}-notes.md`] } },
    { name: "a session's own commit writes its folder", facts: { commit: onMain, message: `[${A}] docs: worklog`, changes: [`M ${D}/active/${A}/worklog.md`] } },
    { name: 'a planning commit (new) carries the slug', facts: { commit: onMain, message: `[${B}] docs: draft session ${B}`, changes: [`A ${D}/drafting/${B}/SESSION.md`] } },
    { name: 'something in a state folder that is no session (lifecycle judges it)', facts: { commit: onMain, message: M, changes: [`A ${D}/active/Not-A-Slug/x`] } },
    { name: 'commit time without a message (pre-commit)', facts: { changes: [`M ${D}/active/${A}/worklog.md`] } },
    { name: 'a [maint] merge being concluded at commit time', facts: { message: M, merging: true, changes: [`M ${D}/active/${A}/worklog.md`] } },
    { name: 'a [maint] pull of main takes the session files main has', facts: { commit: anyMerge(), message: '[maint] chore: merge main', changes: [`M ${D}/active/${A}/worklog.md`, 'M src/a.ts'], taken: [`${D}/active/${A}/worklog.md`] } },
    { name: 'another maintainer prefix: [maint] is then a slug-less header, not this rule', facts: { commit: onMain, message: M, config: (c) => void (c.commit.maintainerPrefix = 'ops'), changes: [`M ${D}/active/${A}/worklog.md`] } },
  ],
  invalid: [
    {
      name: "a [maint] commit edits an active session's worklog",
      facts: { commit: onMain, message: M, changes: [`M ${D}/active/${A}/worklog.md`] },
      errors: [/^a \[maint\] commit writes the files of session 2025-10-14-auth-system \(_AGENTS\/sessions\/active\/2025-10-14-auth-system\/worklog\.md\); \[maint\] commits may not write any session's files$/],
      fix: /^drop those changes from commit c0ffee000000 \(git rebase -i c0ffee000000\^\); a session's files change only in its own \[2025-10-14-auth-system\] commits/,
    },
    { name: 'at commit time (commit-msg), the staged files', facts: { message: M, changes: [`A ${D}/completed/${A}/notes.md`] }, errors: 1, fix: /^git restore --staged -- _AGENTS\/sessions\/completed\/2025-10-14-auth-system\/notes\.md; / },
    { name: 'at commit time, every staged path of the session in the fix', facts: { message: M, changes: [`M ${D}/active/${A}/worklog.md`, `A ${D}/active/${A}/notes.md`] }, errors: 1, fix: /^git restore --staged -- _AGENTS\/sessions\/active\/2025-10-14-auth-system\/worklog\.md _AGENTS\/sessions\/active\/2025-10-14-auth-system\/notes\.md; / },
    { name: 'exactly three paths of a session: all named', facts: { commit: onMain, message: M, changes: [`M ${D}/active/${A}/a.md`, `M ${D}/active/${A}/b.md`, `M ${D}/active/${A}/c.md`] }, errors: [/\(_AGENTS\/sessions\/active\/2025-10-14-auth-system\/a\.md, .*\/b\.md, .*\/c\.md\); /] },
    { name: "a [maint] commit removes a completed session's patch", facts: { commit: onMain, message: M, changes: [`D ${D}/completed/${A}/${A}.patch`] }, errors: 1 },
    { name: 'a rename out of a session folder counts', facts: { commit: onMain, message: M, changes: [`R ${D}/planned/${A}/SESSION.md docs/old-plan.md`] }, errors: [/\(_AGENTS\/sessions\/planned\/2025-10-14-auth-system\/SESSION\.md\)/] },
    { name: 'a rename into a session folder counts', facts: { commit: onMain, message: M, changes: [`R docs/plan.md ${D}/drafting/${A}/active-plan.md`] }, errors: 1 },
    { name: 'a .gitkeep inside a session folder is that session\'s file', facts: { commit: onMain, message: M, changes: [`A ${D}/drafting/${A}/.gitkeep`] }, errors: 1 },
    { name: 'a [maint] commit that creates a session', facts: { commit: onMain, message: M, changes: [`A ${D}/drafting/${B}/SESSION.md`] }, errors: [/session 2025-10-15-billing/] },
    {
      name: 'one report per session, three paths named and the count of the rest',
      facts: { commit: onMain, message: M, changes: [`M ${D}/active/${A}/a.md`, `M ${D}/active/${A}/b.md`, `M ${D}/active/${A}/c.md`, `M ${D}/active/${A}/d.md`, `M ${D}/planned/${B}/SESSION.md`] },
      errors: [/\(_AGENTS\/sessions\/active\/2025-10-14-auth-system\/a\.md, .*\/b\.md, .*\/c\.md and 1 more\)/, /session 2025-10-15-billing/],
    },
    { name: 'a path both renamed from and changed is named once', facts: { commit: onMain, message: M, changes: [`R ${D}/active/${A}/a.md ${D}/active/${A}/b.md`, `M ${D}/active/${A}/b.md`] }, errors: [/\(_AGENTS\/sessions\/active\/2025-10-14-auth-system\/a\.md, _AGENTS\/sessions\/active\/2025-10-14-auth-system\/b\.md\)/] },
    { name: 'a blank line and a BOM before the header change nothing', facts: { commit: onMain, message: `\uFEFF\n${M}`, changes: [`M ${D}/active/${A}/worklog.md`] }, errors: 1 },
    { name: 'a [maint] OVERRIDE is a [maint] commit too', facts: { commit: onMain, message: '[maint] OVERRIDE: fix the plan', changes: [`M ${D}/active/${A}/SESSION.md`] }, errors: 1 },
    { name: 'a configured maintainer prefix', facts: { commit: onMain, message: '[ops] chore: tidy', config: (c) => void (c.commit.maintainerPrefix = 'ops'), changes: [`M ${D}/active/${A}/worklog.md`] }, errors: [/^a \[ops\] commit writes/] },
    { name: 'a [maint] pull of main that adds a session file neither side has (an evil merge)', facts: { commit: anyMerge(), message: '[maint] chore: merge main', changes: [`M ${D}/active/${A}/worklog.md`, `A ${D}/active/${A}/extra.md`], taken: [`${D}/active/${A}/worklog.md`] }, errors: [/\(_AGENTS\/sessions\/active\/2025-10-14-auth-system\/extra\.md\)/] },
    { name: 'a [maint] merge on main is judged whole', facts: { commit: historyCommit(true, 2), message: '[maint] chore: merge', changes: [`M ${D}/active/${A}/worklog.md`], taken: [`${D}/active/${A}/worklog.md`] }, errors: 1 },
  ],
});
