import { rule } from '../../rules/attribution.ts';
import { historyCommit, runRuleTests } from '../helpers/rule-tester.ts';

const S = '2025-10-14-auth-system';
const D = '_AGENTS/sessions';
const env = (name: string, email: string) => `export SESSION_SLUG='${S}'\nexport GIT_AUTHOR_NAME='${name}'\nexport GIT_AUTHOR_EMAIL='${email}'\n`;
const active = { [`${D}/active/${S}/SESSION.md`]: '# s\n', [`${D}/active/${S}/.session-env`]: env('Agent Alice', 'alice@example.test') };
const alice = { name: 'Agent Alice', email: 'alice@example.test' };
const bob = { name: 'Bob', email: 'bob@example.test' };

runRuleTests(rule, {
  valid: [
    { name: 'authored by the session identity', facts: { before: active, commit: historyCommit(false, 1, alice), message: `[${S}] feat: x`, changes: ['A src/x.ts'] } },
    { name: 'email compared without case', facts: { before: active, commit: historyCommit(false, 1, { ...alice, email: 'Alice@Example.test' }), message: `[${S}] feat: x`, changes: ['A src/x.ts'] } },
    { name: 'session not active before the commit (the claim itself)', facts: { before: { [`${D}/planned/${S}/SESSION.md`]: '# s\n' }, commit: historyCommit(true, 1, bob), message: `[${S}] chore: claim ${S}`, changes: [] } },
    { name: 'maint commit', facts: { before: active, commit: historyCommit(true, 1, bob), message: '[maint] chore: x', changes: [] } },
    { name: 'commit time (no commit facts): not judged', facts: { before: active, message: `[${S}] feat: x`, changes: [] } },
  ],
  invalid: [
    { name: 'another author while the session is active', facts: { before: active, commit: historyCommit(false, 1, bob), message: `[${S}] feat: x`, changes: ['A src/x.ts'] }, errors: [/authored by Bob/], fix: /agent-sessions env/ },
  ],
});
