// `agent-sessions rules`: lists every rule with its run points and the severity after config;
// an unknown rule id in the config is a usage error (exit 2) naming the known ids.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleIds } from '../rules/index.ts';
import { makeRepo } from './helpers/repo.ts';

describe('agent-sessions rules', () => {
  it('lists every rule with its configured severity, as text and --json', () => {
    const repo = makeRepo({ init: false, link: false });
    writeFileSync(join(repo.dir, 'agent-sessions.config.json'), JSON.stringify({ rules: { 'staged-scope': 'warn', 'kb-canonical': ['off'] } }));
    const json = repo.cli(['rules', '--json']);
    expect(json.code).toBe(0);
    const byId = Object.fromEntries(json.json.rules.map((r: { id: string }) => [r.id, r]));
    expect(Object.keys(byId).sort()).toEqual([...ruleIds].sort());
    expect(byId['staged-scope']).toMatchObject({ severity: 'warn', defaultSeverity: 'error', runsAt: ['pre-commit'] });
    expect(byId['kb-canonical'].severity).toBe('off');
    expect(byId['message-format'].severity).toBe('error');
    const text = repo.cli(['rules']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^staged-scope\s+warn\s+pre-commit\s/m);
  });

  it('refuses an unknown rule id with exit 2 and the known ids', () => {
    const repo = makeRepo({ init: false, link: false });
    writeFileSync(join(repo.dir, 'agent-sessions.config.json'), JSON.stringify({ rules: { 'no-such-rule': 'error' } }));
    const r = repo.cli(['rules', '--json']);
    expect(r.code).toBe(2);
    expect(r.json.error.message).toMatch(/unknown rule id "no-such-rule"/);
    expect(r.json.error.fix).toMatch(/message-format/);
  });
});
