import { rule } from '../../rules/no-symlinks.ts';
import { historyCommit, runRuleTests } from '../helpers/rule-tester.ts';

const S = '_AGENTS/sessions';
const K = '_AGENTS/knowledge';
const link = (path: string, status = 'A') => ({ status, path, mode: '120000' });
const file = (path: string, status = 'A') => ({ status, path, mode: '100644' });

runRuleTests(rule, {
  valid: [
    { name: 'a plain SESSION.md', facts: { changes: [file(`${S}/drafting/2025-10-14-x/SESSION.md`)] } },
    { name: 'a symlink elsewhere in the repository', facts: { changes: [link('docs/latest.md'), link('node_modules/.bin/x')] } },
    { name: 'a symlink whose name only shares a prefix', facts: { changes: [link('_AGENTS/sessions-old'), link(`${K}-archive`)] } },
    { name: 'removing a symlink', facts: { changes: [{ status: 'D', path: `${S}/BOARD.md`, mode: '000000' }] } },
    { name: 'an executable file', facts: { changes: [{ status: 'A', path: `${S}/_bin/claim-session`, mode: '100755' }] } },
    { name: 'history: a plain file in a merge', facts: { commit: historyCommit(true, 2), message: "Merge branch 'x'", changes: [file(`${K}/a.md`, 'M')] } },
  ],
  invalid: [
    { name: 'SESSION.md as a symlink', facts: { changes: [link(`${S}/active/2025-10-14-x/SESSION.md`)] }, errors: [/SESSION\.md is a symbolic link \(under _AGENTS\/sessions\/\)/], fix: /git rm --cached -q --/ },
    { name: 'BOARD.md as a symlink', facts: { changes: [link(`${S}/BOARD.md`)] }, errors: 1 },
    { name: 'a state folder as a symlink', facts: { changes: [link(`${S}/drafting`)] }, errors: 1 },
    { name: 'a template override as a symlink', facts: { changes: [link(`${S}/_templates/SESSION.md.j2`)] }, errors: 1 },
    { name: 'the sessions folder itself', facts: { changes: [link(S)] }, errors: [/\(_AGENTS\/sessions\)/] },
    { name: 'a folder above the sessions folder', facts: { changes: [link('_AGENTS')] }, errors: [/above _AGENTS\/sessions\//] },
    { name: 'knowledge', facts: { changes: [link(`${K}/sessions/2025-10-14-x/learnings.md`)] }, errors: 1 },
    { name: 'the worktrees folder', facts: { changes: [link('.worktrees')] }, errors: 1 },
    { name: 'a file turned into a symlink (type change)', facts: { changes: [link(`${S}/sessions.lock`, 'T')] }, errors: 1 },
    { name: 'a symlink renamed into the sessions folder', facts: { changes: [{ status: 'R', from: 'docs/x', path: `${S}/planned/2025-10-14-x/notes.md`, mode: '120000' }] }, errors: 1 },
    { name: 'history: brought in by a merge', facts: { commit: historyCommit(true, 2), message: "Merge branch 'x'", changes: [link(`${K}/a.md`)] }, errors: 1, fix: /rewrite the commit without the link/ },
    { name: 'a case variant of the sessions folder (case-insensitive file systems)', facts: { changes: [link('_agents/Sessions/BOARD.md')] }, errors: 1 },
    { name: 'a configured sessions folder', facts: { config: (c) => (c.paths.sessions = 'work/s'), changes: [link('work/s/BOARD.md')] }, errors: 1 },
  ],
});
