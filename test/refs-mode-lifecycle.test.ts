// The refs hub mode's other transitions. Stale take-over: the claim ref changes hands under a
// lease on its value, the old holder can no longer complete, the new one completes as a pull
// request whose merge passes check (claim rebuilt with the new holder, then the squash of both
// holders' work); drift reads the work from the claim. abandon and cancel: pull requests too.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plannedHub, runCliAsync, S } from './helpers/lifecycle.ts';
import { cloneAgent, git, gitTry } from './helpers/repo.ts';

describe('refs mode: stale take-over', () => {
  it('changes hands through the claim ref; the old holder is fenced off; the new one completes by pull request', async () => {
    const { hub, planner, slugs } = plannedHub(1);
    const slug = slugs[0]!;
    const file = join(planner.dir, 'agent-sessions.config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.git.hubMode = 'refs';
    config.stale = { lockAgeHours: 0, idleHours: 0 };
    writeFileSync(file, JSON.stringify(config, null, 2));
    planner.git('commit', '-q', '-m', '[maint] chore: refs hub mode, zero stale thresholds', 'agent-sessions.config.json');
    planner.git('push', '-q', 'origin', 'HEAD:main');

    const alice = cloneAgent(hub, 'alice');
    expect((await runCliAsync(alice.dir, ['claim', slug, '--json'])).code).toBe(0);
    const worktree = join(alice.dir, '.worktrees', slug);
    writeFileSync(join(worktree, 'a.txt'), 'a\n');
    git(worktree, 'add', 'a.txt');
    expect(gitTry(worktree, ['commit', '-q', '-m', `[${slug}] feat: a`]).status).toBe(0);
    git(worktree, 'push', '-q', 'origin', `session/${slug}`);
    const before = git(hub, 'rev-parse', `refs/agent-sessions/claims/${slug}`).trim();

    const bob = cloneAgent(hub, 'bob');
    const status = await runCliAsync(bob.dir, ['status', '--json']);
    expect(status.json.sessions.find((s: { slug: string }) => s.slug === slug)).toMatchObject({ state: 'active', stale: true });
    const taken = await runCliAsync(bob.dir, ['claim', slug, '--take-over', '--reason', 'alice went quiet', '--json']);
    expect(taken.code, taken.stderr).toBe(0);
    const after = git(hub, 'rev-parse', `refs/agent-sessions/claims/${slug}`).trim();
    expect(after).not.toBe(before);
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(planner.git('rev-parse', 'HEAD').trim());
    const holder = (await runCliAsync(alice.dir, ['status', '--json'])).json.sessions.find((s: { slug: string }) => s.slug === slug).holder;
    expect(holder.email).toBe('bob@example.test');

    // Alice's checkout no longer holds it.
    const fenced = await runCliAsync(alice.dir, ['complete', slug, '--json']);
    expect(fenced.code).toBe(1);
    expect(fenced.json?.error?.code).toBe('not-holder');

    const bobTree = join(bob.dir, '.worktrees', slug);
    expect(readFileSync(join(bobTree, 'a.txt'), 'utf8')).toBe('a\n');
    writeFileSync(join(bobTree, 'b.txt'), 'b\n');
    git(bobTree, 'add', 'b.txt');
    expect(gitTry(bobTree, ['commit', '-q', '-m', `[${slug}] feat: b`]).status).toBe(0);
    // drift reads the work from the claim on the branch (main still has the session planned).
    const drift = await runCliAsync(bob.dir, ['drift', slug, '--json']);
    expect(drift.code, drift.stderr).toBe(0);
    expect(drift.json.markdown).toMatch(/b\.txt/);
    expect(drift.json.markdown).not.toMatch(/sessions\.lock/);
    const offered = await runCliAsync(bob.dir, ['complete', slug, '--json']);
    expect(offered.code, offered.stderr).toBe(0);
    const branch = offered.json.pullRequest.branch as string;
    const main = git(hub, 'rev-parse', 'main').trim();
    const person = cloneAgent(hub, 'person');
    person.git('fetch', '-q', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`);
    person.git('merge', '-q', '--no-ff', '--no-verify', '-m', `[${slug}] feat: a and b (#1)`, `origin/${branch}`);
    person.git('push', '-q', '--no-verify', 'origin', 'HEAD:main');
    const checked = await runCliAsync(person.dir, ['check', '--range', `${main}..HEAD`, '--json']);
    expect(checked.code, checked.stdout).toBe(0);
    expect(git(hub, 'show', `main:${S}/completed/${slug}/.session-env`)).toMatch(/bob@example\.test/);
    expect(git(hub, 'show', 'main:a.txt')).toBe('a\n');
  }, 120_000);

  it('abandon and cancel are offered as pull requests; claims race the cancel; merged, main passes check', async () => {
    const { hub, planner, slugs } = plannedHub(3);
    const file = join(planner.dir, 'agent-sessions.config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.git.hubMode = 'refs';
    writeFileSync(file, JSON.stringify(config, null, 2));
    planner.git('commit', '-q', '-m', '[maint] chore: refs hub mode', 'agent-sessions.config.json');
    planner.git('push', '-q', 'origin', 'HEAD:main');
    const start = git(hub, 'rev-parse', 'main').trim();
    const alice = cloneAgent(hub, 'alice');
    expect((await runCliAsync(alice.dir, ['claim', slugs[0]!, '--json'])).code).toBe(0);
    const abandoned = await runCliAsync(alice.dir, ['abandon', slugs[0]!, '--reason', 'not needed', '--json']);
    expect(abandoned.code, abandoned.stderr).toBe(0);
    expect(abandoned.json.pullRequest.branch).toBe(`agent-sessions/abandon/${slugs[0]}`);
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(start);
    const seen = (await runCliAsync(planner.dir, ['status', '--json'])).json.sessions.find((s: { slug: string }) => s.slug === slugs[0]);
    expect(seen.claim.abandonment).toBe(`agent-sessions/abandon/${slugs[0]}`);

    // A claimed session cannot be cancelled (lost race, exit 3); a planned one is offered.
    expect((await runCliAsync(alice.dir, ['claim', slugs[1]!, '--json'])).code).toBe(0);
    expect((await runCliAsync(planner.dir, ['cancel', slugs[1]!, '--json'])).code).toBe(3);
    const cancelled = await runCliAsync(planner.dir, ['cancel', slugs[2]!, '--json']);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.json.pullRequest.branch).toBe(`agent-sessions/cancel/${slugs[2]}`);
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(start);

    const person = cloneAgent(hub, 'person');
    // Each pull request merged with a merge commit titled with its session's header (a [maint]
    // merge that brings a session's files from a branch behind main is refused: maint-scope).
    for (const [slug, branch] of [[slugs[0]!, `agent-sessions/abandon/${slugs[0]}`], [slugs[2]!, `agent-sessions/cancel/${slugs[2]}`]] as const) {
      person.git('fetch', '-q', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`);
      person.git('merge', '-q', '--no-ff', '--no-verify', '-m', `[${slug}] chore: merge ${branch} (#1)`, `origin/${branch}`);
    }
    person.git('push', '-q', '--no-verify', 'origin', 'HEAD:main');
    const checked = await runCliAsync(person.dir, ['check', '--range', `${start}..HEAD`, '--json']);
    expect(checked.code, checked.stdout).toBe(0);
    const after = (await runCliAsync(person.dir, ['status', '--json'])).json.sessions;
    expect(after.map((s: { slug: string; state: string }) => `${s.slug}:${s.state}`).sort()).toEqual([`${slugs[0]}:abandoned`, `${slugs[1]}:active`, `${slugs[2]}:abandoned`]);
  }, 120_000);
});
