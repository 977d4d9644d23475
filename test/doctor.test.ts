// doctor on real repos: healthy clone with a hub and a linked worktree, then each breakage
// reported with its fix (exit 1), then repaired.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloneAgent, makeHub, makeRepo, tempDir } from './helpers/repo.ts';

const failing = (json: { checks: Array<{ id: string; ok: boolean; fix?: string }> }) => json.checks.filter((c) => !c.ok);

describe('doctor', () => {
  it('passes on a healthy clone, names each problem with its fix, passes again once repaired', () => {
    const planner = makeRepo();
    const hub = makeHub(planner);
    const agent = cloneAgent(hub, 'alice');
    const worktree = join(tempDir('as-wt-'), 'wt');
    agent.git('worktree', 'add', '-q', '-b', 'side', worktree);

    const healthy = agent.cli(['doctor', '--json']);
    expect(healthy.code, JSON.stringify(failing(healthy.json ?? { checks: [] }))).toBe(0);
    const ids = healthy.json.checks.map((c: { id: string }) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['node', 'git', 'config', 'identity', 'shims', 'hub', `hooks:${worktree}`, `reached:${agent.dir}`, `reached:${worktree}`]));

    // Break: hooks path gone (every worktree loses its hooks), a shim deleted, hub unreachable, bad config.
    agent.git('config', '--unset', 'core.hooksPath');
    rmSync(join(agent.dir, '.husky', 'pre-push'));
    agent.git('remote', 'set-url', 'origin', join(tempDir(), 'no-such-hub.git'));
    writeFileSync(join(agent.dir, 'agent-sessions.config.json'), JSON.stringify({ stale: { idleHours: 'soon' } }));
    const broken = agent.cli(['doctor', '--json']);
    expect(broken.code).toBe(1);
    const problems = failing(broken.json);
    expect(problems.map((p) => p.id).sort()).toEqual(['config', `hooks:${agent.dir}`, `hooks:${worktree}`, `reached:${agent.dir}`, `reached:${worktree}`, 'hub', 'shims'].sort());
    for (const p of problems) expect(p.fix).toBeTruthy();
    const text = agent.cli(['doctor']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/PROBLEM .*core\.hooksPath is not set[\s\S]*fix: run `agent-sessions install-hooks`/);

    // Repair.
    agent.git('checkout', '-q', '--', 'agent-sessions.config.json');
    agent.git('remote', 'set-url', 'origin', hub);
    expect(agent.cli(['install-hooks']).code).toBe(0);
    const repaired = agent.cli(['doctor', '--json']);
    expect(failing(repaired.json)).toEqual([]);
    expect(repaired.code).toBe(0);

    // The Claude Code guard: wired, then its bin gone (the guard would protect nothing).
    expect(agent.cli(['init', '--agents', 'claude']).code).toBe(0);
    expect(agent.cli(['doctor', '--json']).json.checks).toContainEqual(expect.objectContaining({ id: 'agent-guard:claude', ok: true }));
    rmSync(join(agent.dir, 'node_modules', '.bin', 'agent-sessions'));
    const noGuard = agent.cli(['doctor', '--json']);
    expect(noGuard.code).toBe(1);
    expect(failing(noGuard.json)).toEqual([expect.objectContaining({ id: 'agent-guard:claude', fix: expect.stringMatching(/npm install/) })]);
  });
});
