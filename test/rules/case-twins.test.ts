import { rule } from '../../rules/case-twins.ts';
import { historyCommit, runRuleTests } from '../helpers/rule-tester.ts';

const S = '_AGENTS/sessions';
const K = '_AGENTS/knowledge';
const A = '2025-10-14-x';

runRuleTests(rule, {
  valid: [
    { name: 'the exact layout paths', facts: { changes: [`A ${S}/active/${A}/SESSION.md`, `A ${S}/active/${A}/${A}.patch`, `A ${S}/sessions.lock`, `A ${K}/sessions/${A}/learnings.md`, `A ${S}/_templates/SESSION.md.j2`] } },
    { name: 'paths elsewhere', facts: { changes: ['A src/Session.ts', 'A docs/_agents.md', 'A _AGENTS/README.md', `A ${S}-old/x`] } },
    { name: 'the policy files themselves, and names like them elsewhere', facts: { changes: ['M agent-sessions.config.json', 'M package.json', 'A docs/package.JSON', 'A packages/a/package.json'] } },
    { name: 'other files in a session folder', facts: { changes: [`A ${S}/active/${A}/notes.md`, `A ${S}/active/${A}/Worklog-2.md`, `A ${S}/active/${A}/sub/SESSION.MD`] } },
    { name: 'a twin that is modified or deleted (only additions land it)', facts: { changes: [`M ${K.toLowerCase()}/x.md`, `D ${S}/active/${A}/session.md`] } },
    { name: 'a folder under a state folder that is no slug (lifecycle reports it)', facts: { changes: [`A ${S}/active/Not-A-Slug/session.md`] } },
  ],
  invalid: [
    { name: 'the knowledge folder in other case', facts: { currentSession: A, changes: [`A _AGENTS/Knowledge/guide.md`] }, errors: [/^_AGENTS\/Knowledge\/guide\.md differs from the layout path _AGENTS\/knowledge\/guide\.md only in letter case/], fix: 'git mv -- _AGENTS/Knowledge/guide.md _AGENTS/knowledge/guide.md to use the exact name, or git rm --cached -q -- _AGENTS/Knowledge/guide.md' },
    { name: 'the sessions folder in other case', facts: { changes: [`A _AGENTS/Sessions/active/${A}/SESSION.md`] }, errors: [/layout path _AGENTS\/sessions\/active\//] },
    { name: 'the whole root in other case', facts: { changes: [`A _agents/sessions/planned/${A}/SESSION.md`] }, errors: 1 },
    { name: 'the lock file in other case', facts: { changes: [`A ${S}/SESSIONS.LOCK`] }, errors: [/layout path _AGENTS\/sessions\/sessions\.lock only/] },
    { name: 'a session.md beside SESSION.md', facts: { changes: [`A ${S}/active/${A}/session.md`] }, errors: [/layout path _AGENTS\/sessions\/active\/2025-10-14-x\/SESSION\.md only/] },
    { name: "a twin of the session's patch", facts: { changes: [`A ${S}/completed/${A}/${A}.PATCH`] }, errors: 1 },
    { name: 'a twin of .session-env', facts: { changes: [`A ${S}/active/${A}/.Session-Env`] }, errors: 1 },
    { name: 'a template folder in other case', facts: { changes: [`A ${S}/_Templates/SESSION.md.j2`] }, errors: 1 },
    { name: "a learnings folder in other case", facts: { changes: [`A ${K}/Sessions/${A}/learnings.md`] }, errors: 1 },
    { name: 'renamed in', facts: { changes: [`R docs/x.md ${S}/active/${A}/Worklog.md`] }, errors: 1 },
    { name: 'copied in', facts: { changes: [{ status: 'C', from: 'docs/x.md', path: `${S}/Sessions.lock`, mode: '100644' }] }, errors: 1 },
    { name: 'a configured knowledge folder', facts: { config: (c) => (c.paths.knowledge = 'docs/kb'), changes: ['A Docs/KB/x.md'] }, errors: 1 },
    // Folded as the file systems fold (adversarial review): ſ and ı are s and i there, and
    // Windows drops a part's trailing dots and spaces.
    { name: 'a long s in the sessions folder', facts: { changes: [`A _AGENTS/\u017Fessions/active/${A}/SESSION.md`] }, errors: [/layout path _AGENTS\/sessions\/active\/2025-10-14-x\/SESSION\.md only/] },
    { name: 'a dotless i in the sessions folder', facts: { changes: [`A _AGENTS/sess\u0131ons/planned/${A}/SESSION.md`] }, errors: 1 },
    // HFS+ ignores zero-width joiners, direction marks and U+FEFF in a name (git's next_hfs_char).
    { name: 'a zero-width joiner in the sessions folder', facts: { changes: [`A _AGENTS/ses\u200csions/active/${A}/SESSION.md`] }, errors: [/layout path _AGENTS\/sessions\/active\/2025-10-14-x\/SESSION\.md only/] },
    { name: 'a knowledge folder with a trailing dot', facts: { changes: [`A ${K}./canon.md`] }, errors: [/layout path _AGENTS\/knowledge\/canon\.md only/] },
    { name: 'a knowledge folder with a trailing space', facts: { changes: [{ status: 'A', path: `${K} /canon.md`, mode: '100644' }] }, errors: 1, fix: "git mv -- '_AGENTS/knowledge /canon.md' _AGENTS/knowledge/canon.md to use the exact name, or git rm --cached -q -- '_AGENTS/knowledge /canon.md'" },
    { name: 'the lock file with a trailing dot', facts: { changes: [`A ${S}/sessions.lock.`] }, errors: 1 },
    { name: 'SESSION.md with a trailing dot', facts: { changes: [`A ${S}/active/${A}/SESSION.md.`] }, errors: 1 },
    { name: 'a folder named as SESSION.md with a trailing dot', facts: { changes: [`A ${S}/active/${A}/SESSION.md./x`] }, errors: [/layout path _AGENTS\/sessions\/active\/2025-10-14-x\/SESSION\.md\/x only/] },
    // The policy files at the root (adversarial review): a long s sorts after the real name.
    { name: 'a twin of the config', facts: { changes: ['A agent-\u017Fessions.config.json'] }, errors: [/layout path agent-sessions\.config\.json only in what/] },
    { name: 'the config in upper case', facts: { changes: ['A AGENT-SESSIONS.CONFIG.JSON'] }, errors: 1 },
    { name: 'a twin of package.json', facts: { changes: ['A package.JSON'] }, errors: 1 },
    { name: 'history: in a pushed commit', facts: { commit: historyCommit(true), message: `[${A}] chore: add`, changes: [`A ${S}/SESSIONS.LOCK`] }, errors: 1, fix: /^rewrite the commit with the exact name \(git mv -- / },
  ],
});
