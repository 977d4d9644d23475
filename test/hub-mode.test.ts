// init --hub-mode: the flags are validated (exit 2 with the fix), and on an existing config
// only git.hubMode (and, for integration, git.mainBranch) change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHubMode, writeHubMode } from '../src/hub-mode.ts';
import { makeRepo } from './helpers/repo.ts';
import { refusal } from './helpers/refusal.ts';

describe('init --hub-mode', () => {
  it('accepts the three modes; integration defaults to the agents branch', () => {
    expect(parseHubMode({})).toBeUndefined();
    expect(parseHubMode({ hubMode: 'direct' })).toEqual({ mode: 'direct' });
    expect(parseHubMode({ hubMode: 'refs' })).toEqual({ mode: 'refs' });
    expect(parseHubMode({ hubMode: 'integration' })).toEqual({ mode: 'integration', mainBranch: 'agents' });
    expect(parseHubMode({ hubMode: 'integration', integrationBranch: 'bots/main' })).toEqual({ mode: 'integration', mainBranch: 'bots/main' });
  });

  it('refuses an unknown mode, a bad branch, and --integration-branch without integration (exit 2, with the fix)', () => {
    const unknown = refusal(() => parseHubMode({ hubMode: 'protected' }));
    expect(unknown.code).toBe('bad-hub-mode');
    expect(unknown.fix).toMatch(/direct, integration, refs/);
    expect(refusal(() => parseHubMode({ hubMode: 'integration', integrationBranch: '-x' })).code).toBe('bad-hub-mode');
    expect(refusal(() => parseHubMode({ hubMode: 'integration', integrationBranch: 'a..b' })).code).toBe('bad-hub-mode');
    expect(refusal(() => parseHubMode({ hubMode: 'refs', integrationBranch: 'agents' })).code).toBe('bad-hub-mode');
    expect(refusal(() => parseHubMode({ integrationBranch: 'agents' })).fix).toMatch(/--hub-mode integration --integration-branch agents/);
  });

  it('the CLI exits 2 on a bad mode and writes nothing; a good one changes only the git keys', () => {
    const repo = makeRepo();
    const before = repo.read('agent-sessions.config.json');
    const bad = repo.cli(['init', '--hub-mode', 'bogus', '--json']);
    expect(bad.code).toBe(2);
    expect(repo.read('agent-sessions.config.json')).toBe(before);
    expect(repo.cli(['init', '--hub-mode', 'integration']).code).toBe(0);
    const after = JSON.parse(repo.read('agent-sessions.config.json'));
    expect(after.git).toMatchObject({ hubMode: 'integration', mainBranch: 'agents' });
    expect({ ...after, git: undefined }).toEqual({ ...JSON.parse(before), git: undefined });
    // Back to refs: the guarded branch is the repository's own again.
    expect(writeHubMode(repo.dir, 'origin', { mode: 'refs' })).toBe('agent-sessions.config.json');
    expect(JSON.parse(readFileSync(join(repo.dir, 'agent-sessions.config.json'), 'utf8')).git).toMatchObject({ hubMode: 'refs', mainBranch: 'main' });
    expect(writeHubMode(repo.dir, 'origin', { mode: 'refs' })).toBeUndefined();
    const status = repo.cli(['status', '--local', '--json']);
    expect(status.json.hub).toEqual({ mode: 'refs', mainBranch: 'main' });
  }, 60_000);
});
