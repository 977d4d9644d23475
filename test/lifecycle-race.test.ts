// Real races: 16 agent clones as concurrent child processes against one bare hub.
// The hub's compare-and-swap on refs/heads/main decides; nothing else coordinates them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agents, hubFile, LOCK, plannedHub, runCliAsync, S } from './helpers/lifecycle.js';
import { git, gitTry } from './helpers/repo.js';

describe('racing claims', () => {
  it('16 agents claim one session at once: exactly one wins, fifteen exit 3 without a trace', async () => {
    const { hub, slugs } = plannedHub(1);
    const slug = slugs[0]!;
    const crowd = agents(hub, 16);
    const results = await Promise.all(crowd.map((a) => runCliAsync(a.dir, ['claim', slug, '--json'])));
    const codes = results.map((r) => r.code).sort();
    expect(codes, results.map((r) => r.stderr || r.stdout).join('\n')).toEqual([0, ...Array(15).fill(3)]);
    const winner = crowd[results.findIndex((r) => r.code === 0)]!;
    expect(hubFile(hub, LOCK).trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^${slug}:\\d+$`))]);
    const claims = git(hub, 'log', '--format=%s', 'main').split('\n').filter((s) => s.includes('claim session'));
    expect(claims).toHaveLength(1);
    expect(git(hub, 'log', '-1', '--format=%an', 'main').trim()).toBe(winner.git('config', 'user.name').trim());
    const hubMain = git(hub, 'rev-parse', 'main').trim();
    for (const [i, agent] of crowd.entries()) {
      if (agent === winner) continue;
      expect(results[i]!.json.error.code).toBe('lost-race');
      expect(agent.git('rev-parse', 'main').trim()).toBe(hubMain);
      expect(gitTry(agent.dir, ['rev-parse', '-q', '--verify', `refs/heads/session/${slug}`]).status).not.toBe(0);
      expect(existsSync(join(agent.dir, '.worktrees', slug))).toBe(false);
      expect(agent.git('status', '--porcelain').trim()).toBe('');
    }
  }, 180_000);

  it('16 agents run `next --claim` over 8 planned sessions: each claimed exactly once', async () => {
    const { hub, slugs } = plannedHub(8);
    const crowd = agents(hub, 16);
    // The process timeout is the bound: a child still running after 120 s is killed (code -1).
    const results = await Promise.all(crowd.map((a) => runCliAsync(a.dir, ['next', '--claim', '--json'], { timeout: 120_000 })));
    const detail = results.map((r) => `${r.code} ${r.stderr}${r.code === 0 ? '' : r.stdout}`).join('\n');
    expect(results.every((r) => r.code === 0 || r.code === 3), detail).toBe(true);
    const won = results.filter((r) => r.code === 0).map((r) => r.json.slug as string);
    expect(won.sort()).toEqual([...slugs].sort());
    const lock = hubFile(hub, LOCK).trim().split('\n').map((l) => l.split(':')[0]);
    expect(lock).toHaveLength(8);
    const active = git(hub, 'ls-tree', '--name-only', `main:${S}/active`).trim().split('\n').filter((n) => n !== '.gitkeep');
    expect(lock.sort()).toEqual(active.sort());
    expect(gitTry(hub, ['ls-tree', '--name-only', `main:${S}/planned`]).stdout.split('\n').filter((n) => slugs.includes(n))).toEqual([]);
    for (const r of results.filter((x) => x.code === 3)) expect(r.json.error.code).toMatch(/none-left|lost-race/);
  }, 240_000);
});
