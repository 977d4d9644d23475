// Stale claims and take-over on real repos: a planner, a bare hub, two agents' clones.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cloneAgent, git, makeHub, makeRepo } from './helpers/repo.ts';

function setup() {
  const planner = makeRepo();
  const hub = makeHub(planner);
  expect(planner.cli(['new', 'port the parser', '--criteria', 'it parses']).code).toBe(0);
  const slug = planner.cli(['status', '--local', '--json']).json.sessions[0].slug as string; // drafted here, not pushed yet
  expect(planner.cli(['ready', slug]).code).toBe(0);
  planner.git('push', '-q', 'origin', 'main');
  const alice = cloneAgent(hub, 'alice');
  const claimed = alice.cli(['claim', slug, '--json']);
  expect(claimed.code, claimed.stdout + claimed.stderr).toBe(0);
  return { planner, hub, slug, alice, worktree: claimed.json.path as string };
}

/**
 * Staleness thresholds of zero: every claim is stale at once. Committed and pushed as the
 * [maint] policy change it is, so `check` (which judges with the policy of a range's base)
 * judges the take-over by the same thresholds.
 */
function zeroThresholds(dir: string): void {
  const file = `${dir}/agent-sessions.config.json`;
  const config = JSON.parse(readFileSync(file, 'utf8'));
  config.stale = { lockAgeHours: 0, idleHours: 0 };
  writeFileSync(file, JSON.stringify(config, null, 2));
  git(dir, 'commit', '-q', '-m', '[maint] chore: zero stale thresholds', 'agent-sessions.config.json');
  git(dir, 'push', '-q', 'origin', 'HEAD:main');
}

describe('stale claims', () => {
  it('a fresh claim is not stale and cannot be taken over; a stale one changes hands and keeps its work', () => {
    const { hub, slug, alice, worktree } = setup();
    // Alice works and pushes her branch.
    const env = Object.fromEntries(
      alice
        .cli(['env', slug])
        .stdout.split('\n')
        .filter(Boolean)
        .map((l) => /^export (\w+)='(.*)'$/.exec(l)!.slice(1, 3)),
    );
    mkdirSync(`${worktree}/src`, { recursive: true });
    writeFileSync(`${worktree}/src/a.ts`, 'export const a = 1;\n');
    git(worktree, 'add', 'src/a.ts');
    const committed = spawnSync('git', ['commit', '-q', '-m', `[${slug}] feat: a`], { cwd: worktree, env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(committed.status, committed.stderr).toBe(0);
    git(worktree, 'push', '-q', 'origin', `session/${slug}`);
    const aliceTip = git(worktree, 'rev-parse', 'HEAD').trim();

    const bob = cloneAgent(hub, 'bob');
    const fresh = bob.cli(['status', '--json']).json.sessions.find((s: { slug: string }) => s.slug === slug);
    expect(fresh.state).toBe('active');
    expect(fresh.stale).toBeUndefined();
    const refused = bob.cli(['claim', slug, '--take-over', '--reason', 'alice went quiet']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not stale/);
    expect(refused.stderr).toMatch(/fix: it becomes stale at \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(bob.cli(['claim', slug, '--take-over']).code).toBe(2); // no reason

    zeroThresholds(bob.dir);
    bob.git('fetch', '-q', 'origin');
    const stale = bob.cli(['status', '--json']).json.sessions.find((s: { slug: string }) => s.slug === slug);
    expect(stale.stale).toBe(true);
    expect(bob.cli(['status']).stdout).toMatch(new RegExp(`${slug}.*\\[stale\\]`));

    const taken = bob.cli(['claim', slug, '--take-over', '--reason', 'alice went quiet', '--json']);
    expect(taken.code, taken.stdout + taken.stderr).toBe(0);
    expect(taken.json.takeOver).toMatchObject({ reason: 'alice went quiet', archivedAs: expect.stringMatching(new RegExp(`^taken-over/${slug}/\\d+$`)) });
    expect(taken.json.takeOver.from).toMatch(/alice/);

    // The hub: identity replaced on main, the branch continues alice's work, her tip kept.
    const mainEnv = git(hub, 'show', `main:_AGENTS/sessions/active/${slug}/.session-env`);
    expect(mainEnv).toMatch(/bob@example\.test/);
    expect(mainEnv).not.toMatch(/alice/);
    expect(git(hub, 'rev-parse', `refs/heads/${taken.json.takeOver.archivedAs}`).trim()).toBe(aliceTip);
    expect(git(hub, 'rev-parse', `session/${slug}^`).trim()).toBe(aliceTip);
    expect(git(hub, 'log', '-1', '--format=%ae', `session/${slug}`).trim()).toBe('bob@example.test');
    const worklog = git(hub, 'show', `session/${slug}:_AGENTS/sessions/active/${slug}/worklog.md`);
    expect(worklog).toMatch(/taken over by bob from alice <alice@example\.test>: alice went quiet/);
    expect(git(hub, 'log', '-1', '--format=%B', 'main')).toMatch(/Reason: alice went quiet/);
    // The protocol's own history check accepts the take-over commit (attribution, lifecycle).
    bob.git('fetch', '-q', 'origin');
    const checked = bob.cli(['check', '--range', 'origin/main~1..origin/main', '--json'], { env: { GITHUB_ACTIONS: '' } });
    expect(checked.json).toMatchObject({ violations: [], summary: { commits: 1, errors: 0 } });
    expect(checked.code, checked.stdout).toBe(0);
    // Bob's worktree has alice's file.
    expect(existsSync(`${taken.json.path}/src/a.ts`)).toBe(true);
    // And completes it: alice's work lands on main with bob's completion, no conflict.
    const completed = bob.cli(['complete', slug], { env: taken.json.env });
    expect(completed.code, completed.stdout + completed.stderr).toBe(0);
    expect(git(hub, 'show', 'main:src/a.ts')).toBe('export const a = 1;\n');
    expect(git(hub, 'show', `main:_AGENTS/sessions/completed/${slug}/worklog.md`)).toMatch(/taken over by bob/);
  });
});
