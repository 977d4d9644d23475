// A simulated forge: a bare hub whose pre-receive refuses direct updates of main with GitHub's
// GH006 wording (as "Require a pull request" does) and accepts every other branch. The
// default set-up fails fast with exit 1, code hub-protected and a fix naming the integration
// branch; following that fix, the whole lifecycle runs on `agents`, races stay exact (8 agents
// over file:// and over smart HTTP), main is
// never touched, and CI's check judges the pull request from agents into main.
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { plannedHub, runCliAsync, S } from './helpers/lifecycle.ts';
import { cloneAgent, git, gitTry, linkPackage, tempDir, type Repo } from './helpers/repo.ts';
import { startHttpHub } from './helpers/http-hub.ts';

// Eight racers: a real race on two cores; 16 race in test/lifecycle-race.test.ts, where the
// protocol's own numbers are held (the hosting modes here share its claim code).
const RACERS = 8;

const GH006 = `#!/bin/sh
# A forge's branch protection: main changes only through a pull request.
while read old new ref; do
  if [ "$ref" = "refs/heads/main" ] && [ -z "$FORGE_MERGE" ]; then
    echo "error: GH006: Protected branch update failed for refs/heads/main." >&2
    echo "error: Changes must be made through a pull request." >&2
    exit 1
  fi
done
exit 0
`;

let hub: string;
let planner: Repo;
let slugs: string[];
let fix = '';

function protect(hubPath: string): void {
  const hook = join(hubPath, 'hooks', 'pre-receive');
  writeFileSync(hook, GH006);
  chmodSync(hook, 0o755);
}

/** An agent's clone working on the integration branch. */
function agentOn(branch: string, name: string): Repo {
  const agent = cloneAgent(hub, name);
  agent.git('switch', '-q', branch);
  return agent;
}

beforeAll(() => {
  const planned = plannedHub(4);
  hub = planned.hub;
  planner = planned.planner;
  slugs = planned.slugs;
  protect(hub);
}, 120_000);

describe('a forge that protects main', () => {
  it('the default mode fails fast: exit 1, hub-protected, a fix naming the integration branch; nothing changes', async () => {
    const agent = cloneAgent(hub, 'direct');
    const before = git(hub, 'rev-parse', 'main');
    const result = await runCliAsync(agent.dir, ['claim', slugs[0]!, '--json']);
    expect(result.code).toBe(1);
    expect(result.json?.error?.code).toBe('hub-protected');
    expect(result.json?.error?.message).toMatch(/GH006/);
    expect(result.json?.error?.fix).toMatch(/--hub-mode integration/);
    expect(result.json?.error?.fix).toMatch(/git push origin HEAD:refs\/heads\/agents/);
    fix = result.json?.error?.fix;
    expect(git(hub, 'rev-parse', 'main')).toBe(before);
    expect(agent.git('branch', '--list', 'session/*').trim()).toBe('');
  }, 60_000);

  it('the fix, as printed, sets up the integration branch (init --hub-mode integration; the config change goes to agents, not main)', () => {
    const command = /`(agent-sessions init --hub-mode integration[^`]*)`/.exec(fix)?.[1];
    expect(command).toBeDefined();
    const shell = spawnSync('sh', ['-c', command!], { cwd: planner.dir, encoding: 'utf8', env: { ...process.env, PATH: `${join(planner.dir, 'node_modules', '.bin')}:${process.env.PATH}` } });
    expect(shell.status, shell.stderr).toBe(0);
    expect(JSON.parse(git(hub, 'show', 'agents:agent-sessions.config.json')).git).toMatchObject({ hubMode: 'integration', mainBranch: 'agents' });
    expect(git(hub, 'show', 'main:agent-sessions.config.json')).not.toMatch(/hubMode/);
  });

  it('agents race on the integration branch: each session claimed exactly once, main untouched', async () => {
    const mainBefore = git(hub, 'rev-parse', 'main');
    const racers = Array.from({ length: RACERS }, (_, i) => agentOn('agents', `racer-${i + 1}`));
    // 8 agents, one session: exactly one wins, seven lose the race (exit 3).
    const first = await Promise.all(racers.map((agent) => runCliAsync(agent.dir, ['claim', slugs[0]!, '--json'])));
    expect(first.map((r) => r.code).sort(), first.map((r) => r.stderr).join('\n')).toEqual([0, ...Array(RACERS - 1).fill(3)]);
    // Six of them take the rest with next --claim: one session each, none twice.
    const rest = await Promise.all(racers.slice(0, 6).map((agent) => runCliAsync(agent.dir, ['next', '--claim', '--json'])));
    for (const r of rest) expect([0, 3]).toContain(r.code);
    expect(rest.filter((r) => r.code === 0).length).toBe(slugs.length - 1);
    const active = git(hub, 'ls-tree', '--name-only', `agents:${S}/active/`).trim().split('\n').filter((n) => n !== '.gitkeep');
    expect(active.sort()).toEqual([...slugs].sort());
    expect(git(hub, 'rev-parse', 'main')).toBe(mainBefore);
    const results = first;
    const status = await runCliAsync(racers[0]!.dir, ['status', '--json']);
    expect(status.json?.hub).toEqual({ mode: 'integration', mainBranch: 'agents' });

    // One winner works and completes: the squash lands on agents too.
    const index = results.findIndex((r) => r.code === 0);
    const agent = racers[index]!;
    const slug = slugs[0]!;
    const worktree = join(agent.dir, '.worktrees', slug);
    writeFileSync(join(worktree, 'feature.txt'), 'done\n');
    git(worktree, 'add', 'feature.txt');
    const committed = gitTry(worktree, ['commit', '-q', '-m', `[${slug}] feat: the feature`]);
    expect(committed.stderr).toBe('');
    const completed = await runCliAsync(agent.dir, ['complete', slug, '--json']);
    expect(completed.stderr).toBe('');
    expect(completed.code).toBe(0);
    expect(git(hub, 'show', 'agents:feature.txt')).toBe('done\n');
    expect(git(hub, 'ls-tree', '--name-only', `agents:${S}/completed/`)).toContain(slug);
    expect(git(hub, 'rev-parse', 'main')).toBe(mainBefore);
  }, 180_000);

  it('8 agents race over smart HTTP on the integration branch: exactly one winner', async () => {
    // A new session, planned on agents by the planner (whose checkout is on agents now).
    const slug = '2025-02-01-http-race';
    planner.git('fetch', '-q', 'origin');
    planner.git('merge', '-q', '--ff-only', 'origin/agents');
    const drafted = planner.cli(['new', slug, '--criteria', 'it works', '--push']);
    expect(drafted.code, drafted.stderr).toBe(0);
    const ready = planner.cli(['ready', slug, '--push']);
    expect(ready.code, ready.stderr).toBe(0);
    const server = await startHttpHub(hub);
    try {
      const racers = Array.from({ length: RACERS }, (_, i) => {
        const dir = join(tempDir(`as-race-int-${i}-`), 'work');
        git(tempDir(), 'clone', '-q', '-b', 'agents', server.url, dir);
        git(dir, 'config', 'user.name', `int-${i}`);
        git(dir, 'config', 'user.email', `int-${i}@example.test`);
        linkPackage(dir);
        return dir;
      });
      const results = await Promise.all(racers.map((dir) => runCliAsync(dir, ['claim', slug, '--json'])));
      expect(results.map((r) => r.code).sort(), results.map((r) => r.stderr).join('\n')).toEqual([0, ...Array(RACERS - 1).fill(3)]);
      expect(git(hub, 'ls-tree', '--name-only', `agents:${S}/active/`)).toContain(slug);
    } finally {
      await server.stop();
    }
  }, 240_000);

  it("CI's check judges the pull request from agents into main", async () => {
    const ci = cloneAgent(hub, 'ci');
    ci.git('switch', '-q', 'agents');
    const result = await runCliAsync(ci.dir, ['check', '--range', 'origin/main..origin/agents', '--json']);
    expect(result.code).toBe(0);
    // The PR carries the [maint] config change to the integration branch: a policy change is
    // reported as a warning of its own, never as an error.
    const found: Array<{ rule: string; severity: string }> = result.json?.violations ?? [];
    expect(found.filter((v) => v.severity === 'error')).toEqual([]);
    expect(found.map((v) => v.rule)).toEqual(['policy-change']);

    // The forge merges the pull request with a merge commit titled as the pull request:
    // judged against agents' tip (main's old tip is its ancestor), check on main stays clean.
    const person = cloneAgent(hub, 'forge');
    const before = person.git('rev-parse', 'HEAD').trim();
    person.git('merge', '-q', '--no-ff', '--no-verify', '-m', '[maint] chore: merge agents into main (#1)', 'origin/agents');
    expect(gitTry(person.dir, ['push', '-q', '--no-verify', 'origin', 'HEAD:refs/heads/main'], { FORGE_MERGE: '1' }).status).toBe(0);
    ci.git('fetch', '-q', 'origin');
    const merged = await runCliAsync(ci.dir, ['check', '--range', `${before}..origin/main`, '--json']);
    expect(merged.json?.violations.filter((v: { severity: string }) => v.severity === 'error')).toEqual([]);

    // A commit that skipped the client hooks is what CI is there for.
    ci.write('stray.txt', 'x\n');
    ci.git('add', 'stray.txt');
    ci.git('commit', '-q', '--no-verify', '-m', 'unprefixed work');
    ci.git('push', '-q', '--no-verify', 'origin', 'HEAD:refs/heads/agents');
    ci.git('fetch', '-q', 'origin');
    const bad = await runCliAsync(ci.dir, ['check', '--range', 'origin/main..origin/agents', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.stringify(bad.json)).toMatch(/message-format/);
  }, 60_000);
});
