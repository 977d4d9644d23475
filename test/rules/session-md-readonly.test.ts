import { rule } from '../../rules/session-md-readonly.ts';
import { runRuleTests } from '../helpers/rule-tester.ts';

const S = '2025-10-14-auth-system';
const D = '_AGENTS/sessions';
const md = '# Auth\n\n## Acceptance\n- works\n';

runRuleTests(rule, {
  valid: [
    { name: 'worklog change in an active session', facts: { message: `[${S}] docs: log`, currentSession: S, before: { [`${D}/active/${S}/SESSION.md`]: md, [`${D}/active/${S}/worklog.md`]: '' }, after: { [`${D}/active/${S}/SESSION.md`]: md, [`${D}/active/${S}/worklog.md`]: 'did x' } } },
    { name: 'drafting SESSION.md is editable', facts: { message: `[${S}] docs: refine`, before: { [`${D}/drafting/${S}/SESSION.md`]: md }, after: { [`${D}/drafting/${S}/SESSION.md`]: `${md}- more\n` } } },
    { name: 'planned SESSION.md is editable', facts: { message: `[${S}] docs: refine`, before: { [`${D}/planned/${S}/SESSION.md`]: md }, after: { [`${D}/planned/${S}/SESSION.md`]: `${md}- more\n` } } },
    { name: 'OVERRIDE commit of that session', facts: { message: `[${S}] OVERRIDE: criterion 2 is impossible`, currentSession: S, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: `${md}- changed\n` } } },
    { name: 'claim moves it byte-identical', facts: { message: `[${S}] chore: claim ${S}`, before: { [`${D}/planned/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: md }, changes: [`R ${D}/planned/${S}/SESSION.md ${D}/active/${S}/SESSION.md`] } },
    { name: 'completion appends final notes', facts: { message: `[${S}] feat: auth system`, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: `${md}\n## Final notes\ndone\n` } } },
    { name: 'completion moves it unchanged', facts: { message: `[${S}] feat: auth system`, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: md } } },
  ],
  invalid: [
    { name: 'edit of an active SESSION.md', facts: { message: `[${S}] docs: tweak`, currentSession: S, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: `${md}- sneaky\n` } }, errors: [/read-only/], fix: /OVERRIDE/ },
    { name: 'edit of a completed SESSION.md', facts: { message: '[maint] docs: tidy', before: { [`${D}/completed/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: 'x' } }, errors: 1, fix: /git restore --staged --worktree/ },
    { name: 'removal of an active SESSION.md', facts: { message: `[${S}] chore: rm`, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: {} }, errors: [/may not be removed/] },
    { name: 'OVERRIDE of another session does not count', facts: { message: '[2025-10-15-other] OVERRIDE: because', before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: 'x' } }, errors: 1 },
    { name: 'claim that edits SESSION.md', facts: { message: `[${S}] chore: claim ${S}`, before: { [`${D}/planned/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: `${md}x` } }, errors: [/unchanged/] },
    { name: 'claim with OVERRIDE still must be identical', facts: { message: `[${S}] OVERRIDE: why not`, before: { [`${D}/planned/${S}/SESSION.md`]: md }, after: { [`${D}/active/${S}/SESSION.md`]: `${md}x` } }, errors: 1 },
    { name: 'completion that rewrites instead of appending', facts: { message: `[${S}] feat: auth`, before: { [`${D}/active/${S}/SESSION.md`]: md }, after: { [`${D}/completed/${S}/SESSION.md`]: 'rewritten' } }, errors: [/only append/] },
  ],
});
