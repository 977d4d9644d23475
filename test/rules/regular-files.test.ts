import { rule } from '../../rules/regular-files.ts';
import { historyCommit, runRuleTests } from '../helpers/rule-tester.ts';

const S = '_AGENTS/sessions';
const K = '_AGENTS/knowledge';
const A = '2025-10-14-x';
const gitlink = (path: string, status = 'A') => ({ status, path, mode: '160000' });
const entry = (path: string, mode: string, status = 'A') => ({ status, path, mode });

runRuleTests(rule, {
  valid: [
    { name: 'a plain SESSION.md', facts: { changes: [entry(`${S}/active/${A}/SESSION.md`, '100644', 'M')] } },
    { name: 'an executable wrapper', facts: { changes: [entry(`${S}/_bin/claim-session`, '100755')] } },
    { name: 'a submodule elsewhere in the repository', facts: { changes: [gitlink('vendor/lib'), gitlink('_AGENTS/tools')] } },
    { name: 'a name that only shares a prefix', facts: { changes: [gitlink(`${S}-old`), gitlink(`${K}-archive/x`)] } },
    { name: 'a gitlink removed from the layout', facts: { changes: [{ status: 'D', path: `${S}/active/${A}/vendor`, mode: '000000' }] } },
    { name: 'a link (no-symlinks reports it)', facts: { changes: [entry(`${S}/active/${A}/SESSION.md`, '120000', 'T')] } },
    { name: 'a change with no mode known', facts: { changes: [{ status: 'A', path: `${S}/active/${A}/SESSION.md` }] } },
  ],
  invalid: [
    { name: "an active session's SESSION.md turned into a gitlink", facts: { changes: [gitlink(`${S}/active/${A}/SESSION.md`, 'T')] }, errors: [/SESSION\.md is a gitlink \(a submodule commit, mode 160000\), not a regular file; in _AGENTS\/sessions/], fix: /^git rm --cached -q -- _AGENTS/ },
    { name: 'the lock file as a gitlink', facts: { changes: [gitlink(`${S}/sessions.lock`, 'T')] }, errors: 1 },
    { name: 'a gitlink in the knowledge folder', facts: { changes: [gitlink(`${K}/sessions/${A}/learnings.md`)] }, errors: [/in _AGENTS\/knowledge /] },
    { name: 'a gitlink whose path folds to the sessions folder', facts: { changes: [gitlink(`_agents/Sessions/active/${A}/SESSION.md`)] }, errors: 1 },
    { name: 'an entry of another mode', facts: { changes: [entry(`${S}/BOARD.md`, '100664')] }, errors: [/an entry of mode 100664/] },
    { name: 'a configured lock file outside the sessions folder', facts: { config: (c) => (c.paths.lockFile = '.agents/sessions.lock'), changes: [gitlink('.agents/sessions.lock', 'T')] }, errors: 1 },
    { name: 'history: brought in by a merge', facts: { commit: historyCommit(true, 2), message: "Merge branch 'x'", changes: [gitlink(`${K}/a.md`)] }, errors: 1, fix: /rewrite the commit with a regular file there/ },
  ],
});
