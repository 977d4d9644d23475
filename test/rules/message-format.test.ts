import { rule } from '../../rules/message-format.ts';
import { historyCommit, runRuleTests } from '../helpers/rule-tester.ts';

const S = '2025-10-14-auth-system';
const OTHER = '2025-10-15-billing';
const inSession = { currentSession: S, sessions: { [S]: 'active' as const, [OTHER]: 'planned' as const } };
const onMain = { sessions: { [S]: 'active' as const, [OTHER]: 'planned' as const } };
const LOCK = '_AGENTS/sessions/sessions.lock';
/** A team commitlint config that wants a scope on every header. */
const wantsScope = async (message: string) => (/^\w+\(/.test(message) ? [] : [{ name: 'scope-empty', message: 'scope may not be empty' }]);

runRuleTests(rule, {
  valid: [
    { name: 'session commit', facts: { ...inSession, message: `[${S}] feat: add login form` } },
    { name: 'scope and breaking bang', facts: { ...inSession, message: `[${S}] feat(api/v2)!: drop the v1 token` } },
    { name: 'body and trailers', facts: { ...inSession, message: `[${S}] fix: handle empty input\n\nLonger text.\n\nSigned-off-by: A <a@b.c>\nCo-authored-by: B <b@c.d>` } },
    { name: 'OVERRIDE with a reason', facts: { ...inSession, message: `[${S}] OVERRIDE: acceptance criterion 3 was impossible` } },
    { name: 'maint outside a session', facts: { ...onMain, message: '[maint] chore: upgrade agent-sessions' } },
    { name: 'planning commit names an existing session', facts: { ...onMain, message: `[${OTHER}] chore: ready session ${OTHER}` } },
    { name: 'new: the session exists only after the commit', facts: { sessions: {}, changes: [`A _AGENTS/sessions/drafting/${OTHER}/SESSION.md`], message: `[${OTHER}] docs: draft session ${OTHER}` } },
    { name: 'merge on a session branch', facts: { ...inSession, message: "Merge branch 'main' into session/" + S } },
    { name: 'revert on a session branch', facts: { ...inSession, message: `Revert "[${S}] feat: add login form"\n\nThis reverts commit abc.` } },
    { name: 'fixup! on a session branch', facts: { ...inSession, message: `fixup! [${S}] feat: add login form` } },
    { name: 'squash! and amend! on a session branch', facts: { ...inSession, message: `amend! [${S}] feat: add login form` } },
    { name: 'history: slug names an existing session', facts: { ...onMain, commit: historyCommit(true), message: `[${OTHER}] chore: claim ${OTHER}` } },
    { name: 'history: fixup! off main', facts: { ...onMain, commit: historyCommit(false), message: `fixup! [${S}] feat: x` } },
    { name: 'history: a CRLF message as stored by a Windows tool', facts: { ...onMain, commit: historyCommit(true), message: `[${OTHER}] docs: refine\r\n\r\nbody\r\n` } },
    { name: 'history: maint', facts: { ...onMain, commit: historyCommit(true), message: '[maint] chore: adopt agent-sessions' } },
    { name: 'team rules: a header they accept', facts: { ...inSession, teamLint: wantsScope, message: `[${S}] feat(ui): add login form` } },
    { name: 'history: a transition (the lock entries change) is written by agent-sessions, not judged by the team rules', facts: { ...onMain, teamLint: wantsScope, commit: historyCommit(true), before: { [LOCK]: `${S}:1735689600\n` }, after: { [LOCK]: `${S}:1735689600\n${OTHER}:1735689700\n` }, message: `[${OTHER}] chore: claim session (planned -> active)` } },
    { name: 'configured maintainer prefix', facts: { ...onMain, message: '[ops] ci: add a job', config: (c) => (c.commit.maintainerPrefix = 'ops') } },
    { name: 'configured types', facts: { ...inSession, message: `[${S}] wip: half done`, config: (c) => (c.commit.types = ['wip']) } },
    { name: 'pre-commit has no message yet', facts: { ...inSession } },
  ],
  invalid: [
    { name: 'empty message', facts: { ...inSession, message: '' }, errors: [/empty/], fix: `[${S}]` },
    { name: 'whitespace-only message', facts: { ...inSession, message: '  \n\n' }, errors: [/empty/] },
    { name: 'no prefix in a session', facts: { ...inSession, message: 'add login form' }, errors: [/does not start with/], fix: `[${S}] chore: add login form` },
    { name: 'conventional without prefix', facts: { ...inSession, message: 'feat: add login form' }, errors: 1, fix: `[${S}] feat: add login form` },
    { name: 'another session\'s slug', facts: { ...inSession, message: `[${OTHER}] feat: add x` }, errors: [/names session .* but this commit is in session/], fix: `[${S}] feat: add x` },
    { name: 'maint inside a session', facts: { ...inSession, message: '[maint] chore: x' }, errors: [/outside sessions/] },
    { name: 'unknown type', facts: { ...inSession, message: `[${S}] wip: x` }, errors: [/type must be one of/] },
    { name: 'upper-case type', facts: { ...inSession, message: `[${S}] Feat: x` }, errors: 1 },
    { name: 'missing description', facts: { ...inSession, message: `[${S}] feat:` }, errors: 1 },
    { name: 'no space after colon', facts: { ...inSession, message: `[${S}] feat:x` }, errors: 1 },
    { name: 'header too long', facts: { ...inSession, message: `[${S}] feat: ${'x'.repeat(120)}` }, errors: [/longer than 100/] },
    { name: 'OVERRIDE without a reason', facts: { ...inSession, message: `[${S}] OVERRIDE:` }, errors: [/reason/] },
    { name: 'bracket that is no slug', facts: { ...onMain, message: '[WIP] feat: x' }, errors: [/neither a session slug/] },
    { name: 'slug of no session outside a session', facts: { ...onMain, message: '[2025-01-01-ghost] feat: x' }, errors: [/does not exist/] },
    { name: 'merge on main', facts: { ...onMain, message: "Merge branch 'main' of hub" }, errors: [/may not land on main/], fix: /pull --rebase/ },
    { name: 'revert on main', facts: { ...onMain, message: `Revert "[${S}] feat: add login form"` }, errors: 1, fix: `[${S}] revert: feat: add login form` },
    { name: 'fixup! on main', facts: { ...onMain, message: 'fixup! [maint] chore: x' }, errors: 1 },
    { name: 'history: slug of no session', facts: { ...onMain, commit: historyCommit(false), message: '[2025-01-01-ghost] feat: x' }, errors: [/does not exist/] },
    { name: 'team rules refuse at commit time: commit again', facts: { ...inSession, teamLint: wantsScope, message: `[${S}] feat: add login form` }, errors: [/commitlint config refuses .*scope may not be empty \[scope-empty\]/], fix: /^commit again with a message those rules accept, keeping the "\[2025-10-14-auth-system\] " prefix/ },
    { name: 'history: team rules refuse a work commit: reword it', facts: { ...onMain, teamLint: wantsScope, commit: historyCommit(true), changes: ['M src/a.ts'], message: `[${OTHER}] feat: add billing` }, errors: [/scope-empty/], fix: /^reword commit c0ffee000000 \(git rebase -i c0ffee000000\^/ },
    { name: 'history: a blank line added to the lock file is no transition: the team rules judge it', facts: { ...onMain, teamLint: wantsScope, commit: historyCommit(true), before: { [LOCK]: `${S}:1735689600\n` }, after: { [LOCK]: `${S}:1735689600\n\n`, 'src/a.ts': 'x' }, message: '[maint] chore: tidy' }, errors: [/scope-empty/] },
    { name: 'history: squash! on main', facts: { ...onMain, commit: historyCommit(true), message: `squash! [${S}] feat: x` }, errors: 1 },
    { name: 'configured header length', facts: { ...inSession, message: `[${S}] feat: ${'x'.repeat(30)}`, config: (c) => (c.commit.headerMaxLength = 40) }, errors: 1 },
  ],
});
