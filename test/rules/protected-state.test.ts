// protected-state: the shapes that may write an active session's .session-env and lock line
// (claim, take-over, complete, abandon) and the ones that may not (a [maint] rewrite, a
// back-dated take-over, a claim that also touches another session's line).
import { rule } from '../../rules/protected-state.ts';
import { historyCommit, runRuleTests, type FactsSpec } from '../helpers/rule-tester.ts';

const A = '2025-10-14-auth-system';
const B = '2025-10-15-billing';
const D = '_AGENTS/sessions';
const LOCK = `${D}/sessions.lock`;
const env = (slug: string, name: string) => `export SESSION_SLUG='${slug}'\nexport GIT_AUTHOR_NAME='${name}'\nexport GIT_AUTHOR_EMAIL='${name.toLowerCase()}@example.test'\n`;
const md = (state: string, slug: string) => ({ [`${D}/${state}/${slug}/SESSION.md`]: `# ${slug}\n` });
const activeA = { ...md('active', A), [`${D}/active/${A}/.session-env`]: env(A, 'Alice') };
const activeB = { ...md('active', B), [`${D}/active/${B}/.session-env`]: env(B, 'Bob') };
const DAY = 86400;
const T = 1_760_000_000;

function history(message: string, before: Record<string, string>, after: Record<string, string>): FactsSpec {
  return { message, before, after, commit: historyCommit(true) };
}

runRuleTests(rule, {
  valid: [
    {
      name: 'claim: planned -> active adds the line and the .session-env',
      facts: history(`[${A}] chore: claim session`, { ...md('planned', A), ...activeB, [LOCK]: `${B}:${T}\n` }, { ...activeA, ...activeB, [LOCK]: `${B}:${T}\n${A}:${T + 5}\n` }),
    },
    {
      name: 'take-over: both rewritten, claim time a stale period later',
      facts: history(`[${A}] chore: take over stale session from Alice`, { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...md('active', A), [`${D}/active/${A}/.session-env`]: env(A, 'Carol'), [LOCK]: `${A}:${T + 2 * DAY}\n` }),
    },
    {
      name: 'complete: the folder leaves active/ and the line goes',
      facts: history(`[${A}] feat: complete`, { ...activeA, ...activeB, [LOCK]: `${A}:${T}\n${B}:${T}\n` }, { ...md('completed', A), [`${D}/completed/${A}/.session-env`]: env(A, 'Alice'), ...activeB, [LOCK]: `${B}:${T}\n` }),
    },
    {
      name: 'abandon removes the line',
      facts: history(`[${A}] chore: abandon`, { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...md('abandoned', A), [LOCK]: '' }),
    },
    {
      name: 'the lock file rewritten with the same entries (order, CRLF)',
      facts: history('[maint] chore: normalise line endings', { ...activeA, ...activeB, [LOCK]: `${A}:${T}\n${B}:${T}\n` }, { ...activeA, ...activeB, [LOCK]: `${B}:${T}\r\n${A}:${T}\r\n` }),
    },
    {
      name: 'work in an active session that leaves its state alone',
      facts: history(`[${A}] feat: x`, { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...activeA, [LOCK]: `${A}:${T}\n`, 'src/x.ts': 'x\n' }),
    },
    {
      name: 'a line for a session not in active/ (lifecycle reports that)',
      facts: history('[maint] chore: x', { ...md('planned', A), [LOCK]: '' }, { ...md('planned', A), [LOCK]: `${A}:${T}\n` }),
    },
    {
      name: 'on a session branch: take-over writes the new .session-env there alone',
      facts: { ...history(`[${A}] chore: take over stale session from Alice`, { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...md('active', A), [`${D}/active/${A}/.session-env`]: env(A, 'Carol'), [LOCK]: `${A}:${T}\n` }), commit: historyCommit(false) },
    },
    {
      name: 'a change at lockAgeHours 0 with any later time',
      facts: { ...history(`[${A}] chore: take over`, { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...md('active', A), [`${D}/active/${A}/.session-env`]: env(A, 'Carol'), [LOCK]: `${A}:${T + 1}\n` }), config: (c) => (c.stale.lockAgeHours = 0) },
    },
    {
      name: 'a take-over in the claim\'s own second at lockAgeHours 0 (the line reads the same)',
      facts: { ...history(`[${A}] chore: take over`, { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...md('active', A), [`${D}/active/${A}/.session-env`]: env(A, 'Carol'), [LOCK]: `${A}:${T}\n` }), config: (c) => (c.stale.lockAgeHours = 0) },
    },
    {
      name: 'a take-over exactly lockAgeHours after the claim',
      facts: history(`[${A}] chore: take over`, { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...md('active', A), [`${D}/active/${A}/.session-env`]: env(A, 'Carol'), [LOCK]: `${A}:${T + DAY}\n` }),
    },
    {
      name: 'a [maint] commit drops a duplicate line of an active session (the first line counts)',
      facts: history('[maint] chore: dedupe', { ...activeA, [LOCK]: `${A}:${T}\n${A}:${T + 5}\n` }, { ...activeA, [LOCK]: `${A}:${T}\n` }),
    },
    {
      name: 'a file in the session folder whose name is as long as ".session-env"',
      facts: history(`[${A}] feat: x`, { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...activeA, [LOCK]: `${A}:${T}\n`, [`${D}/active/${A}/notes12345678`]: 'x\n' }),
    },
    {
      name: 'an unreadable lock file after the commit (lifecycle reports it)',
      facts: history('[maint] chore: x', { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...activeA, [LOCK]: 'not a lock line\n' }),
    },
  ],
  invalid: [
    {
      name: 'a [maint] commit hands the session to someone else and back-dates its line',
      facts: history('[maint] chore: tidy', { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...md('active', A), [`${D}/active/${A}/.session-env`]: env(A, 'Mallory'), [LOCK]: `${A}:978307200\n` }),
      errors: [/changes \.session-env and its line in .*sessions\.lock of active session/],
      fix: /--take-over/,
    },
    {
      name: 'only the .session-env, in the session\'s own commit',
      facts: history(`[${A}] chore: switch identity`, { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...md('active', A), [`${D}/active/${A}/.session-env`]: env(A, 'Mallory'), [LOCK]: `${A}:${T}\n` }),
      errors: [/changes \.session-env of active session .*a take-over changes both/],
    },
    {
      name: 'only the lock line (back-dated to look stale)',
      facts: history('[maint] chore: x', { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...activeA, [LOCK]: `${A}:978307200\n` }),
      errors: [/changes its line in/],
    },
    {
      name: 'the lock file deleted while the session stays active',
      facts: history('[maint] chore: x', { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...activeA }),
      errors: [/changes its line in/],
    },
    {
      name: 'the .session-env removed',
      facts: history('[maint] chore: x', { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...md('active', A), [LOCK]: `${A}:${T}\n` }),
      errors: [/\.session-env of active session/],
    },
    {
      name: 'a take-over shape with a back-dated claim time',
      facts: history(`[${A}] chore: take over`, { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...md('active', A), [`${D}/active/${A}/.session-env`]: env(A, 'Mallory'), [LOCK]: `${A}:978307200\n` }),
      errors: [/take-over of .* never back-dated/],
    },
    {
      name: 'a take-over of a session that is not yet stale (claim time less than lockAgeHours later)',
      facts: history(`[${A}] chore: take over`, { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...md('active', A), [`${D}/active/${A}/.session-env`]: env(A, 'Mallory'), [LOCK]: `${A}:${T + 3600}\n` }),
      errors: [/less than stale\.lockAgeHours/],
    },
    {
      name: 'a take-over whose .session-env names another session',
      facts: history(`[${A}] chore: take over`, { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...md('active', A), [`${D}/active/${A}/.session-env`]: env(B, 'Mallory'), [LOCK]: `${A}:${T + 2 * DAY}\n` }),
      errors: [/SESSION_SLUG is not/],
    },
    {
      name: 'a claim that also re-dates another active session\'s line',
      facts: history(`[${A}] chore: claim session`, { ...md('planned', A), ...activeB, [LOCK]: `${B}:${T}\n` }, { ...activeA, ...activeB, [LOCK]: `${B}:978307200\n${A}:${T}\n` }),
      errors: [new RegExp(`its line in .* of active session ${B}`)],
    },
    {
      name: 'a take-over of one session that rewrites another session\'s .session-env',
      facts: history(`[${A}] chore: take over`, { ...activeA, ...activeB, [LOCK]: `${A}:${T}\n${B}:${T}\n` }, { ...md('active', A), [`${D}/active/${A}/.session-env`]: env(A, 'Carol'), ...md('active', B), [`${D}/active/${B}/.session-env`]: env(B, 'Carol'), [LOCK]: `${A}:${T + 2 * DAY}\n${B}:${T}\n` }),
      errors: [new RegExp(`\\.session-env of active session ${B}`)],
    },
    {
      name: 'complete of one session that keeps a rewritten line',
      facts: history(`[${A}] feat: complete`, { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...md('completed', A), [LOCK]: `${A}:${T + 9}\n` }),
      errors: [/leaves active\/ but its lock line is rewritten/],
    },
    {
      name: 'a claim that rewrites the line already there instead of adding one',
      facts: history(`[${A}] chore: claim session`, { ...md('planned', A), [LOCK]: `${A}:${T}\n` }, { ...activeA, [LOCK]: `${A}:${T + 5}\n` }),
      errors: [new RegExp(`the claim of ${A} changes its lock line instead of adding one`)],
      fix: new RegExp(`agent-sessions claim ${A}\`, which adds "${A}:<unix-seconds>"`),
    },
    {
      name: 'a claim that removes the line it should add',
      facts: history(`[${A}] chore: claim session`, { ...md('planned', A), [LOCK]: `${A}:${T}\n` }, { ...activeA, [LOCK]: '' }),
      errors: 1,
    },
    {
      name: 'the session\'s own commit moves only its line forward (no new .session-env)',
      facts: history(`[${A}] chore: refresh`, { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...activeA, [LOCK]: `${A}:${T + 2 * DAY}\n` }),
      errors: [/changes its line in _AGENTS\/sessions\/sessions\.lock of active session .* \(a take-over changes both, with a fresh claim time\)/],
    },
    {
      name: 'a take-over shape for a session that had no lock line',
      facts: history(`[${A}] chore: take over`, { ...activeA, [LOCK]: '' }, { ...md('active', A), [`${D}/active/${A}/.session-env`]: env(A, 'Carol'), [LOCK]: `${A}:${T}\n` }),
      errors: [/changes \.session-env and its line in/],
    },
    {
      name: 'an unprefixed commit rewrites a line',
      facts: history('tidy up', { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...activeA, [LOCK]: `${A}:${T + 9}\n` }),
      errors: [/only claim, take-over, complete and abandon of/],
    },
    {
      name: 'the lock file renamed away',
      facts: { ...history('[maint] chore: x', { ...activeA, [LOCK]: `${A}:${T}\n` }, { ...activeA, [`${D}/old.lock`]: `${A}:${T}\n` }), changes: [`R ${LOCK} ${D}/old.lock`] },
      errors: [/changes its line in/],
    },
    {
      name: 'before the push (no commit yet): the fix checks out from HEAD',
      facts: { message: '[maint] chore: x', runPoint: 'pre-push', before: { ...activeA, [LOCK]: `${A}:${T}\n` }, after: { ...md('active', A), [`${D}/active/${A}/.session-env`]: env(A, 'Mallory'), [LOCK]: `${A}:${T}\n` } },
      errors: 1,
      fix: /git checkout HEAD -- _AGENTS\/sessions\/active\/2025-10-14-auth-system\/\.session-env,/,
    },
  ],
});
