import { rule } from '../../rules/session-env-inert.ts';
import { historyCommit, runRuleTests } from '../helpers/rule-tester.ts';

const SLUG = '2025-10-14-x';
const ENV = `_AGENTS/sessions/active/${SLUG}/.session-env`;
const good = `# Identity of session ${SLUG}\nexport SESSION_SLUG='${SLUG}'\nexport GIT_AUTHOR_NAME='A O'\\''B'\nexport GIT_AUTHOR_EMAIL='a@x.test'\nexport GIT_COMMITTER_NAME='A'\nexport GIT_COMMITTER_EMAIL='a@x.test'\n`;
const claim = (text: string, onMain = true) => ({
  commit: historyCommit(onMain),
  message: `[${SLUG}] chore: claim session (planned -> active)`,
  before: { [`_AGENTS/sessions/planned/${SLUG}/SESSION.md`]: '# x\n' },
  after: { [`_AGENTS/sessions/active/${SLUG}/SESSION.md`]: '# x\n', [ENV]: text },
});

runRuleTests(rule, {
  valid: [
    { name: 'what claim writes', facts: claim(good) },
    { name: 'the five variables in another order, without export', facts: claim(`SESSION_SLUG=${SLUG}\nGIT_COMMITTER_EMAIL=a@x.test\n`) },
    { name: 'removing a .session-env', facts: { changes: [{ status: 'D', path: ENV, mode: '000000' }] } },
    { name: 'a file of that name outside the sessions folder', facts: { after: { 'docs/.session-env': 'export PATH=/tmp\n' } } },
    { name: 'another file in the session folder (not sourced)', facts: { after: { [`_AGENTS/sessions/active/${SLUG}/run.sh`]: 'touch x\n', [`_AGENTS/sessions/active/${SLUG}/env`]: 'export PATH=/tmp\n' } } },
    { name: 'a .session-env the facts cannot read (a submodule, a blob too large)', facts: { changes: [{ status: 'A', path: ENV, mode: '160000' }], after: {} } },
  ],
  invalid: [
    { name: 'GIT_CONFIG_* pointing core.hooksPath elsewhere', facts: claim(`${good}export GIT_CONFIG_COUNT=1\nexport GIT_CONFIG_KEY_0=core.hooksPath\nexport GIT_CONFIG_VALUE_0=/dev/null\n`), errors: [/line 7 sets GIT_CONFIG_COUNT; only SESSION_SLUG/], fix: /rewrite the commit/ },
    { name: 'PROMPT_COMMAND', facts: claim(`${good}PROMPT_COMMAND='touch x'\n`), errors: [/sets PROMPT_COMMAND/] },
    { name: 'a command line', facts: claim(`${good}touch x\n`), errors: [/is not an assignment/] },
    { name: 'command substitution', facts: claim(`export SESSION_SLUG=$(touch x)\n`), errors: [/unquoted/] },
    { name: 'at commit time', facts: { currentSession: SLUG, after: { [ENV]: 'export BASH_ENV=/tmp/x\n' } }, errors: 1, fix: /git restore --staged/ },
  ],
});
