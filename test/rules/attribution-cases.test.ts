// attribution, case by case: names and emails compared (email without case, both trimmed), the
// take-over commit judged by the identity it installs (only a complete, not deleted one), and
// commits the rule does not judge (no message, no prefix, no identity on record).
import { rule } from '../../rules/attribution.ts';
import { historyCommit, runRuleTests } from '../helpers/rule-tester.ts';

const S = '2025-10-14-auth-system';
const D = '_AGENTS/sessions';
const ENV = `${D}/active/${S}/.session-env`;
const env = (name: string, email: string) => `export SESSION_SLUG='${S}'\nexport GIT_AUTHOR_NAME='${name}'\nexport GIT_AUTHOR_EMAIL='${email}'\n`;
const active = { [`${D}/active/${S}/SESSION.md`]: '# s\n', [ENV]: env('Agent Alice', 'alice@example.test') };
const noEnv = { [`${D}/active/${S}/SESSION.md`]: '# s\n' };
const alice = { name: 'Agent Alice', email: 'alice@example.test' };
const bob = { name: 'Bob', email: 'bob@example.test' };
const msg = `[${S}] feat: x`;
const by = (who: { name: string; email: string }) => historyCommit(false, 1, who);

runRuleTests(rule, {
  valid: [
    { name: 'name and email with surrounding spaces, email in another case', facts: { before: active, commit: by({ name: ' Agent Alice ', email: ' ALICE@example.test ' }), message: msg, changes: ['A src/x.ts'] } },
    { name: 'the identity on record with surrounding spaces', facts: { before: { ...active, [ENV]: env(' Agent Alice ', ' Alice@example.test ') }, commit: by(alice), message: msg, changes: ['A src/x.ts'] } },
    { name: 'take-over: judged by the identity the commit installs', facts: { before: active, after: { ...active, [ENV]: env('Bob', 'bob@example.test') }, commit: by(bob), message: msg } },
    { name: 'no message', facts: { before: active, commit: by(bob), changes: ['A src/x.ts'] } },
    { name: 'no [prefix]', facts: { before: active, commit: by(bob), message: 'feat: x', changes: ['A src/x.ts'] } },
    { name: 'no identity on record for the active session', facts: { before: noEnv, commit: by(bob), message: msg, changes: ['A src/x.ts'] } },
  ],
  invalid: [
    { name: 'the same email under another name', facts: { before: active, commit: by({ name: 'Mallory', email: 'alice@example.test' }), message: msg, changes: ['A src/x.ts'] }, errors: [/authored by Mallory <alice@example\.test>, not by the session's identity Agent Alice <alice@example\.test>$/] },
    { name: 'the same name under another email', facts: { before: active, commit: by({ name: 'Agent Alice', email: 'eve@example.test' }), message: msg, changes: ['A src/x.ts'] }, errors: 1, fix: `work on ${S} with its identity: eval "$(agent-sessions env ${S})", then rewrite this commit's author (git commit --amend --reset-author, or rebase)` },
    { name: 'take-over commit authored by the old identity', facts: { before: active, after: { ...active, [ENV]: env('Bob', 'bob@example.test') }, commit: by(alice), message: msg }, errors: [/identity Bob <bob@example\.test>/] },
    { name: 'deleting .session-env installs nothing', facts: { before: active, changes: [`D ${ENV}`], commit: by(bob), message: msg }, errors: [/identity Agent Alice/] },
    { name: 'another file changed: the identity on record applies', facts: { before: active, after: { ...active, [`${D}/active/${S}/notes.md`]: 'x' }, commit: by(bob), message: msg }, errors: [/identity Agent Alice/] },
    { name: 'an installed identity without an email does not count', facts: { before: active, after: { ...active, [ENV]: `export SESSION_SLUG='${S}'\nexport GIT_AUTHOR_NAME='Bob'\n` }, commit: by(bob), message: msg }, errors: [/identity Agent Alice/] },
    { name: 'an installed identity without a name does not count', facts: { before: active, after: { ...active, [ENV]: `export SESSION_SLUG='${S}'\nexport GIT_AUTHOR_EMAIL='bob@example.test'\n` }, commit: by(bob), message: msg }, errors: [/identity Agent Alice/] },
  ],
});
