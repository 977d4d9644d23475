// policy-files: the repository's policy changes only in a [maint] commit.
import { rule } from '../../rules/policy-files.ts';
import { historyCommit, runRuleTests, type FactsSpec } from '../helpers/rule-tester.ts';

const A = '2025-10-14-auth-system';
const D = '_AGENTS/sessions';
const active = { [`${D}/active/${A}/SESSION.md`]: '# a\n' };
const pkg = (extra: Record<string, unknown>) => JSON.stringify({ name: 'x', version: '1.0.0', ...extra });

function commit(message: string, before: Record<string, string>, after: Record<string, string>): FactsSpec {
  return { message, before: { ...active, ...before }, after: { ...active, ...after }, commit: historyCommit(true) };
}

runRuleTests(rule, {
  valid: [
    { name: 'a [maint] commit switches rules off', facts: commit('[maint] chore: tune rules', { 'agent-sessions.config.json': '{}' }, { 'agent-sessions.config.json': '{"rules":{"lifecycle":"off"}}' }) },
    { name: 'a [maint] commit adds a template override and a wrapper', facts: commit('[maint] chore: templates', {}, { [`${D}/_templates/SESSION.md.j2`]: 'x', [`${D}/_bin/claim-session`]: '#!/bin/sh\n' }) },
    { name: 'a session bumps package.json without touching agentSessions', facts: commit(`[${A}] build: bump`, { 'package.json': pkg({ agentSessions: { rules: {} } }) }, { 'package.json': pkg({ version: '1.0.1', agentSessions: { rules: {} } }) }) },
    { name: 'a session changes files next to the policy', facts: commit(`[${A}] feat: x`, {}, { [`${D}/_templates-notes.md`]: 'x', 'src/agent-sessions.config.json.ts': 'x' }) },
    { name: 'commit time (no message yet)', facts: { before: {}, after: { 'agent-sessions.config.json': '{}' } } },
  ],
  invalid: [
    { name: 'a session commit switches rules off', facts: commit(`[${A}] chore: tune`, { 'agent-sessions.config.json': '{}' }, { 'agent-sessions.config.json': '{"rules":{"lifecycle":"off"}}' }), errors: [/agent-sessions\.config\.json\) outside a \[maint\] commit/], fix: /\[maint\] chore: /, },
    { name: 'a session commit overrides a template', facts: commit(`[${A}] feat: x`, {}, { [`${D}/_templates/session-env.j2`]: 'x' }), errors: [/_templates\/session-env\.j2/] },
    { name: 'a session commit deletes a wrapper', facts: commit(`[${A}] feat: x`, { [`${D}/_bin/claim-session`]: 'x' }, {}), errors: [/_bin\/claim-session/] },
    { name: 'a session commit changes package.json#agentSessions', facts: commit(`[${A}] build: x`, { 'package.json': pkg({}) }, { 'package.json': pkg({ agentSessions: { rules: { lifecycle: 'off' } } }) }), errors: [/package\.json#agentSessions/] },
    { name: 'a rename out of _templates/', facts: { ...commit(`[${A}] feat: x`, { [`${D}/_templates/a.j2`]: 'x' }, { 'src/a.j2': 'x' }), changes: [`R ${D}/_templates/a.j2 src/a.j2`] }, errors: 1 },
    {
      name: 'five policy files at once: three named, the count of the rest',
      facts: commit(`[${A}] feat: x`, { 'package.json': pkg({}) }, { 'package.json': pkg({ agentSessions: {} }), 'agent-sessions.config.json': '{}', [`${D}/_bin/b`]: 'x', [`${D}/_bin/a`]: 'x', [`${D}/_templates/t.j2`]: 'x' }),
      errors: [/changes the repository's policy \(_AGENTS\/sessions\/_bin\/a, _AGENTS\/sessions\/_bin\/b, _AGENTS\/sessions\/_templates\/t\.j2 and 2 more\) outside/],
    },
    {
      name: 'exactly three policy files: all named',
      facts: commit(`[${A}] feat: x`, {}, { 'agent-sessions.config.json': '{}', [`${D}/_bin/a`]: 'x', [`${D}/_templates/t.j2`]: 'x' }),
      errors: [/policy \(_AGENTS\/sessions\/_bin\/a, _AGENTS\/sessions\/_templates\/t\.j2, agent-sessions\.config\.json\) outside/],
    },
    { name: 'an unprefixed commit', facts: commit('tune rules', { 'agent-sessions.config.json': '{}' }, { 'agent-sessions.config.json': '{"rules":{}}' }), errors: 1 },
    {
      name: 'with a custom maintainer prefix, [maint] is not it',
      facts: { ...commit('[maint] chore: x', {}, { 'agent-sessions.config.json': '{}' }), config: (c) => (c.commit.maintainerPrefix = 'ops') },
      errors: [/outside a \[ops\] commit/],
    },
  ],
});
