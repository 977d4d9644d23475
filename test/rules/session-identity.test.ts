import { rule } from '../../rules/session-identity.ts';
import { runRuleTests } from '../helpers/rule-tester.ts';

const S = '2025-10-14-auth-system';
const D = '_AGENTS/sessions';
const env = `export SESSION_SLUG='${S}'\nexport GIT_AUTHOR_NAME='Agent Alice'\nexport GIT_AUTHOR_EMAIL='alice@example.test'\n`;
const active = { [`${D}/active/${S}/SESSION.md`]: '# s\n', [`${D}/active/${S}/.session-env`]: env };
const alice = { name: 'Agent Alice', email: 'alice@example.test' };
const bob = { name: 'Bob', email: 'bob@example.test' };
const msg = `[${S}] feat: x`;

runRuleTests(rule, {
  valid: [
    { name: 'the session identity', facts: { before: active, currentSession: S, author: alice, message: msg } },
    { name: 'email compared without case', facts: { before: active, currentSession: S, author: { ...alice, email: 'ALICE@example.test' }, message: msg } },
    { name: 'outside any session (main)', facts: { before: active, author: bob, message: '[maint] chore: x' } },
    { name: 'a session that is not active on HEAD', facts: { before: { [`${D}/planned/${S}/SESSION.md`]: '# s\n' }, currentSession: S, author: bob, message: msg } },
    { name: 'an active session without .session-env (left to lifecycle)', facts: { before: { [`${D}/active/${S}/SESSION.md`]: '# s\n' }, currentSession: S, author: bob, message: msg } },
    { name: 'git could not say who the author is', facts: { before: active, currentSession: S, message: msg } },
    { name: 'white space around the name and the email', facts: { before: active, currentSession: S, author: { name: ' Agent Alice ', email: ' alice@example.test\t' }, message: msg } },
  ],
  invalid: [
    {
      name: 'another identity inside the session',
      facts: { before: active, currentSession: S, author: bob, message: msg },
      errors: [/committing to session 2025-10-14-auth-system as Bob <bob@example\.test>, not as its identity Agent Alice/],
      fix: /\.session-env; then git commit --amend --reset-author --no-edit/,
    },
    {
      name: 'same email, another name',
      facts: { before: active, currentSession: S, author: { ...alice, name: 'Alice' }, message: msg },
      errors: 1,
    },
    {
      name: 'same name, another email',
      facts: { before: active, currentSession: S, author: { ...alice, email: 'alice@elsewhere.test' }, message: msg },
      errors: [/as Agent Alice <alice@elsewhere\.test>, not as its identity Agent Alice <alice@example\.test>/],
    },
    {
      name: 'a completed session with its .session-env is not checked, an active one is',
      facts: { before: { ...active, [`${D}/completed/2025-01-01-old/SESSION.md`]: '# o\n', [`${D}/completed/2025-01-01-old/.session-env`]: env }, currentSession: S, author: bob, message: msg },
      errors: 1,
    },
  ],
});
