// message-format's reports word for word, one per case: the message names what is wrong and
// the fix is the header to commit again with (or the command to run). The table in
// message-format.test.ts checks verdicts; this one checks what the user reads.
import { describe, expect, it } from 'vitest';
import { rule } from '../../rules/message-format.ts';
import { historyCommit, makeFacts, type FactsSpec } from '../helpers/rule-tester.ts';

const S = '2025-10-14-auth-system';
const OTHER = '2025-10-15-billing';
const inSession = { currentSession: S, sessions: { [S]: 'active' as const, [OTHER]: 'planned' as const } };
const onMain = { sessions: { [S]: 'active' as const, [OTHER]: 'planned' as const } };

const cases: [string, FactsSpec, string, string][] = [
  ["empty main", { ...onMain, message: '' }, "the commit message is empty", "commit again with the header: [<slug>] <type>: <what this commit does>"],
  ["merge main", { ...onMain, message: "Merge branch 'x'" }, "a merge commit (\"Merge branch 'x'\") may not land on main; only [<slug>] and [maint] headers may", "keep main linear: undo the merge (git merge --abort, or git reset --merge ORIG_HEAD) and use git pull --rebase"],
  ["revert main", { ...onMain, message: `Revert "[${S}] feat: add login form"` }, "a Revert commit (\"Revert \"[2025-10-14-auth-system] feat: add login form\"\") may not land on main; only [<slug>] and [maint] headers may", "commit again with the header: [2025-10-14-auth-system] revert: feat: add login form"],
  ["reapply main", { ...onMain, message: `Reapply "[${OTHER}] fix: y"` }, "a Reapply commit (\"Reapply \"[2025-10-15-billing] fix: y\"\") may not land on main; only [<slug>] and [maint] headers may", "commit again with the header: [2025-10-15-billing] revert: fix: y"],
  ["revert unprefixed main", { ...onMain, message: `Revert "plain"` }, "a Revert commit (\"Revert \"plain\"\") may not land on main; only [<slug>] and [maint] headers may", "commit again with the header: [<slug>] revert: plain"],
  ["fixup main", { ...onMain, message: 'fixup! [maint] chore: x' }, "a fixup! commit (\"fixup! [maint] chore: x\") may not land on main; only [<slug>] and [maint] headers may", "commit again with the header: [<slug>] chore: x"],
  ["squash history main", { ...onMain, commit: historyCommit(true), message: `squash! [${S}] feat: x` }, "a squash! commit (\"squash! [2025-10-14-auth-system] feat: x\") may not land on main; only [<slug>] and [maint] headers may", "commit again with the header: [<slug>] feat: x"],
  ["unprefixed main", { ...onMain, message: 'Add login form' }, "the header \"Add login form\" does not start with [<slug>]", "commit again with the header: [maint] chore: add login form"],
  ["unprefixed on other branch no session", { ...onMain, branch: 'feature', message: 'Add login form' }, "the header \"Add login form\" does not start with [<slug>]", "commit again with the header: [<slug>] chore: add login form"],
  ["unprefixed history main", { ...onMain, commit: historyCommit(true), message: 'add x' }, "the header \"add x\" does not start with [<slug>]", "commit again with the header: [maint] chore: add x"],
  ["unprefixed history off main", { ...onMain, commit: historyCommit(false), message: 'add x' }, "the header \"add x\" does not start with [<slug>]", "commit again with the header: [<slug>] chore: add x"],
  ["maint in session", { ...inSession, message: '[maint] chore: x' }, "[maint] commits are for work outside sessions, but this commit is in session 2025-10-14-auth-system", "commit again with the header: [2025-10-14-auth-system] chore: x"],
  ["bad prefix main", { ...onMain, message: '[WIP] feat: x' }, "\"[WIP]\" is neither a session slug nor [maint]: a slug is YYYY-MM-DD-words-in-kebab-case (or kb-YYYY-MM-DD-...): lowercase ASCII letters and digits joined by single hyphens", "commit again with the header: [maint] feat: x"],
  ["bad prefix session", { ...inSession, message: '[WIP] feat: x' }, "\"[WIP]\" is neither a session slug nor [maint]: a slug is YYYY-MM-DD-words-in-kebab-case (or kb-YYYY-MM-DD-...): lowercase ASCII letters and digits joined by single hyphens", "commit again with the header: [2025-10-14-auth-system] feat: x"],
  ["other session", { ...inSession, message: `[${OTHER}] feat: add x` }, "the header names session 2025-10-15-billing, but this commit is in session 2025-10-14-auth-system", "commit again with the header: [2025-10-14-auth-system] feat: add x"],
  ["ghost", { ...onMain, message: '[2025-01-01-ghost] feat: x' }, "the header names session 2025-01-01-ghost, which does not exist", "use the slug of an existing session (agent-sessions status), or [maint] for work outside sessions"],
  ["override maint", { ...onMain, message: '[maint] OVERRIDE: because' }, "OVERRIDE belongs to a session, not to maintainer commits", "commit again with: [<slug>] OVERRIDE: <reason>"],
  ["override no reason", { ...inSession, message: `[${S}] OVERRIDE:   ` }, "an OVERRIDE commit must give its reason", "commit again with the header: [2025-10-14-auth-system] OVERRIDE: <why SESSION.md must change>"],
  ["override too long", { ...inSession, message: `[${S}] OVERRIDE: ${'r'.repeat(100)}` }, "the header is 135 characters long; at most 100 are allowed", "shorten the reason; put details in the body"],
  ["too long", { ...inSession, message: `[${S}] feat: ${'x'.repeat(120)}` }, "the header must not be longer than 100 characters, current length is 151", "shorten the description; put details in the body"],
  ["unknown type", { ...inSession, message: `[${S}] wip: x` }, "the header \"[2025-10-14-auth-system] wip: x\" is not [2025-10-14-auth-system] <type>(<scope>)?: <description> (type must be one of [feat, fix, docs, style, refactor, perf, test, build, ci, chore, revert])", "commit again with the header: [2025-10-14-auth-system] chore: x  (types: feat fix docs style refactor perf test build ci chore revert)"],
  ["crlf history bad", { ...onMain, commit: historyCommit(true), message: `\r\n[${OTHER}] Docs: refine\r\n` }, "the header \"[2025-10-15-billing] Docs: refine\" is not [2025-10-15-billing] <type>(<scope>)?: <description> (type must be lower-case; type must be one of [feat, fix, docs, style, refactor, perf, test, build, ci, chore, revert])", "commit again with the header: [2025-10-15-billing] docs: refine  (types: feat fix docs style refactor perf test build ci chore revert)"],
];

describe('message-format reports, word for word', () => {
  for (const [name, spec, message, fix] of cases) {
    it(name, async () => {
      expect(await rule.check(makeFacts(spec), {})).toEqual([{ message, fix }]);
    });
  }
});
