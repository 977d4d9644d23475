// Completion belongs to the holder, and no command loses a commit: a real bare hub, two or
// three agent clones, the built CLI. Every printed fix that a user would copy is run here.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agents, claimIn, commitIn, hubFile, plannedHub, S } from './helpers/lifecycle.js';
import { git, gitTry, runCli, type Repo } from './helpers/repo.js';
import { holderHashOf, tokenHash, withHolderLine } from '../src/hub/holder.ts';
import { parseSessionEnv } from '../src/sessions.ts';

/** Runs a printed fix as a user would paste it into a shell in `cwd` (agent-sessions on PATH). */
function runFix(cwd: string, line: string): ReturnType<typeof spawnSync> {
  const bin = join(cwd, 'node_modules', '.bin');
  return spawnSync('sh', ['-c', line], { cwd, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
}

/**
 * "No commit lost": each commit is reachable from a ref of the hub, or was squashed into a
 * completion on the hub's main (an ancestor of a tip its Session-tip trailer names), or is in
 * a named backup ref (refs/agent-sessions/backup/...) of one of the agents' repositories.
 */
function lostCommits(hub: string, repos: Repo[], commits: string[]): string[] {
  const hubRefs = git(hub, 'for-each-ref', '--format=%(objectname)').split('\n').filter(Boolean);
  const tips = [...git(hub, 'log', '--format=%B', 'main').matchAll(/^Session-tip: ([0-9a-f]{40})$/gm)].map((m) => m[1]!);
  const contains = (dir: string, ancestor: string, refs: string[]) =>
    refs.some((ref) => gitTry(dir, ['merge-base', '--is-ancestor', ancestor, ref]).status === 0);
  return commits.filter((sha) => {
    if (gitTry(hub, ['cat-file', '-e', sha]).status === 0 && contains(hub, sha, hubRefs)) return false;
    for (const repo of repos) {
      if (gitTry(repo.dir, ['cat-file', '-e', sha]).status !== 0) continue;
      if (contains(repo.dir, sha, tips.filter((t) => gitTry(repo.dir, ['cat-file', '-e', t]).status === 0))) return false;
      const backups = git(repo.dir, 'for-each-ref', '--format=%(refname)', 'refs/agent-sessions/backup/').split('\n').filter(Boolean);
      if (contains(repo.dir, sha, backups)) return false;
    }
    return true;
  });
}

describe('the holder line in .session-env', () => {
  it("is the claim's own, whatever a template override or a hostile name put there", () => {
    const ours = tokenHash('a'.repeat(64));
    const evil = tokenHash('b'.repeat(64));
    const rendered = [
      `# agent-sessions-holder: sha256:${evil}`,
      `export GIT_AUTHOR_NAME='x`,
      `# agent-sessions-holder: sha256:${evil}'`,
      `export SESSION_SLUG='2025-01-01-x'`,
      `  # agent-sessions-holder: sha256:${evil}`,
      '',
    ].join('\n');
    const text = withHolderLine(rendered, ours);
    expect(holderHashOf(text)).toBe(ours);
    expect(text.endsWith(`# agent-sessions-holder: sha256:${ours}\n`)).toBe(true);
    expect(parseSessionEnv(text).SESSION_SLUG).toBe('2025-01-01-x');
    expect(holderHashOf('export SESSION_SLUG=x\n')).toBeUndefined();
  });
});

describe('completion belongs to the holder', () => {
  it('refuses a non-holder (exit 1, the fix names --take-over); the holder completes from the activated worktree', () => {
    const { hub, slugs } = plannedHub(1);
    const s1 = slugs[0]!;
    const [a, b] = agents(hub, 2);
    const c = claimIn(a!, s1);
    // The claim token: under the common git dir, its hash on the hub in .session-env.
    const token = readFileSync(join(a!.dir, '.git', 'agent-sessions', 'tokens', s1), 'utf8').trim();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(hubFile(hub, `${S}/active/${s1}/.session-env`)).toMatch(/^# agent-sessions-holder: sha256:[0-9a-f]{64}$/m);
    expect(hubFile(hub, `${S}/active/${s1}/.session-env`)).not.toContain(token);
    const made = commitIn(c, `[${s1}] feat: the work`, { 'work.txt': 'w\n' });
    git(c.wt, 'push', '-q', 'origin', `session/${s1}`);
    // b has the branch and even the holder's identity: still not the holder.
    b!.git('fetch', '-q', 'origin', `session/${s1}:session/${s1}`);
    const main = git(hub, 'rev-parse', 'main').trim();
    const refused = b!.cli(['complete', s1, '--json'], { env: c.env });
    expect(refused.code).toBe(1);
    expect(refused.json.error.code).toBe('not-holder');
    expect(refused.json.error.message).toContain('agent-1 <agent-1@example.test>');
    expect(refused.json.error.fix).toContain(`agent-sessions complete ${s1} --take-over --reason`);
    expect(b!.cli(['abandon', s1, '--reason', 'mine now']).code).toBe(1);
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(main);
    // The holder, from inside the worktree with the session's env activated.
    const done = runCli(c.wt, ['complete', s1, '--json'], { env: c.env });
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(git(hub, 'log', '-1', '--format=%an|%s', 'main').trim()).toBe(`agent-1|[${s1}] feat: complete session (active -> completed)`);
    expect(git(hub, 'log', '-1', '--format=%B', 'main')).toContain(`Session-tip: ${made}`);
    expect(lostCommits(hub, [a!, b!], [made])).toEqual([]);
  });

  it("a teammate's explicit take-over completion is recorded; the holder's later complete keeps its unpushed commit in a backup ref", () => {
    const { hub, slugs } = plannedHub(1);
    const s1 = slugs[0]!;
    const [a, b] = agents(hub, 2);
    const c = claimIn(a!, s1);
    const pushed = commitIn(c, `[${s1}] feat: pushed part`, { 'pushed.txt': 'p\n' });
    git(c.wt, 'push', '-q', 'origin', `session/${s1}`);
    b!.git('fetch', '-q', 'origin', `session/${s1}:session/${s1}`);
    const taken = b!.cli(['complete', s1, '--take-over', '--reason', 'agent-1 is gone for the week', '--json']);
    expect(taken.code, taken.stderr).toBe(0);
    const body = git(hub, 'log', '-1', '--format=%an|%B', 'main');
    expect(body).toMatch(/^agent-2\|/);
    expect(body).toContain('Taken-over-from: agent-1 <agent-1@example.test>');
    expect(body).toContain('Take-over-reason: agent-1 is gone for the week');
    // Meanwhile the holder committed once more, never pushed.
    const unpushed = commitIn(c, `[${s1}] fix: after the teammate completed`, { 'late.txt': 'l\n' });
    const r = a!.cli(['complete', s1, '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('unsaved-commits');
    expect(r.json.error.message).toContain(unpushed.slice(0, 10));
    expect(r.json.error.data.backupRef).toBe(`refs/agent-sessions/backup/${s1}`);
    expect(existsSync(c.wt)).toBe(true);
    expect(a!.git('rev-parse', `refs/agent-sessions/backup/${s1}`).trim()).toBe(unpushed);
    expect(lostCommits(hub, [a!, b!], [pushed, unpushed])).toEqual([]);
    // The fix, copied: a branch of the kept commits; then complete finishes the clean-up.
    const fix = /git branch \S+ \S+/.exec(r.json.error.fix)![0];
    expect(runFix(a!.dir, fix).status).toBe(0);
    expect(a!.git('rev-parse', `rescue/${s1}`).trim()).toBe(unpushed);
    const again = a!.cli(['complete', s1, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json.resumed).toBe(true);
    expect(again.json.backupRef).toBe(`refs/agent-sessions/backup/${s1}`);
    expect(existsSync(c.wt)).toBe(false);
    expect(lostCommits(hub, [a!, b!], [pushed, unpushed])).toEqual([]);
  });
});

describe('abandon belongs to the holder too', () => {
  it("a teammate's --take-over abandon is recorded; the holder's own abandon afterwards keeps its unpushed commit", () => {
    const { hub, slugs } = plannedHub(1);
    const s1 = slugs[0]!;
    const [a, b] = agents(hub, 2);
    const c = claimIn(a!, s1);
    const mine = commitIn(c, `[${s1}] feat: never pushed`, { 'mine.txt': 'm\n' });
    const r = b!.cli(['abandon', s1, '--take-over', '--reason', 'duplicate of another session', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(git(hub, 'log', '-1', '--format=%B', 'main')).toContain('Taken-over-from: agent-1 <agent-1@example.test>');
    expect(a!.cli(['complete', s1]).code).toBe(3);
    const again = a!.cli(['abandon', s1, '--reason', 'cleaning up', '--json']);
    // abandon pushes the holder's branch to the hub first: the commit is kept there.
    expect(again.code, again.stderr).toBe(0);
    expect(git(hub, 'rev-parse', `session/${s1}`).trim()).toBe(mine);
    expect(lostCommits(hub, [a!, b!], [mine])).toEqual([]);
  });
});

describe('take-over replaces the claim token (a fencing token)', () => {
  it('after a take-over the previous holder can neither complete nor abandon; the new holder completes', () => {
    const { hub, slugs } = plannedHub(1);
    const s1 = slugs[0]!;
    const [alice, bob] = agents(hub, 2);
    const c = claimIn(alice!, s1);
    const work = commitIn(c, `[${s1}] feat: alice's part`, { 'alice.txt': 'a\n' });
    git(c.wt, 'push', '-q', 'origin', `session/${s1}`);
    const before = hubFile(hub, `${S}/active/${s1}/.session-env`);
    // Bob's local policy: every claim is stale at once.
    const file = join(bob!.dir, 'agent-sessions.config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.stale = { lockAgeHours: 0, idleHours: 0 };
    writeFileSync(file, JSON.stringify(config, null, 2));
    const taken = bob!.cli(['claim', s1, '--take-over', '--reason', 'alice went quiet', '--json']);
    expect(taken.code, taken.stderr).toBe(0);
    const after = hubFile(hub, `${S}/active/${s1}/.session-env`);
    const line = /^# agent-sessions-holder: sha256:([0-9a-f]{64})$/m;
    expect(line.exec(after)![1]).not.toBe(line.exec(before)![1]);
    const main = git(hub, 'rev-parse', 'main').trim();
    const refused = alice!.cli(['complete', s1, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json.error.code).toBe('not-holder');
    expect(refused.json.error.message).toMatch(/taken over/);
    expect(alice!.cli(['abandon', s1, '--reason', 'mine']).code).toBe(1);
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(main);
    const done = bob!.cli(['complete', s1, '--json']);
    expect(done.code, done.stderr).toBe(0);
    expect(hubFile(hub, 'alice.txt')).toBe('a\n');
    expect(lostCommits(hub, [alice!, bob!], [work])).toEqual([]);
  });
});

describe('the completion commit type', () => {
  it('is the most significant type among the session commits, or --type', () => {
    const { hub, slugs } = plannedHub(2);
    const [a] = agents(hub, 1);
    const c1 = claimIn(a!, slugs[0]!);
    commitIn(c1, `[${slugs[0]}] docs: explain`, { 'a.md': 'a\n' });
    commitIn(c1, `[${slugs[0]}] fix: off by one`, { 'b.txt': 'b\n' });
    expect(a!.cli(['complete', slugs[0]!]).code).toBe(0);
    expect(git(hub, 'log', '-1', '--format=%s', 'main').trim()).toBe(`[${slugs[0]}] fix: complete session (active -> completed)`);
    const c2 = claimIn(a!, slugs[1]!);
    commitIn(c2, `[${slugs[1]}] feat: a feature`, { 'c.txt': 'c\n' });
    expect(a!.cli(['complete', slugs[1]!, '--type', 'nope']).code).toBe(2);
    expect(a!.cli(['complete', slugs[1]!, '--type', 'docs']).code).toBe(0);
    expect(git(hub, 'log', '-1', '--format=%s', 'main').trim()).toBe(`[${slugs[1]}] docs: complete session (active -> completed)`);
  });
});

describe("the seed's OVERRIDE procedure, end to end", () => {
  it('an OVERRIDE of SESSION.md on the branch is carried through the squash, named in trailers, and accepted by the hub', () => {
    const { hub, slugs } = plannedHub(1);
    const s1 = slugs[0]!;
    expect(runCli(dirname(hub), ['install-server-hook', hub]).code).toBe(0);
    const [a] = agents(hub, 1);
    const c = claimIn(a!, s1);
    const md = join(c.wt, S, 'active', s1, 'SESSION.md');
    // The seed: chmod 644, fix, git add, commit as OVERRIDE, chmod 444, document in worklog.md.
    chmodSync(md, 0o644);
    const fixed = readFileSync(md, 'utf8').replace('it works', 'it works on Linux (macOS is out of scope)');
    writeFileSync(md, fixed);
    git(c.wt, 'add', `${S}/active/${s1}/SESSION.md`);
    const ov = gitTry(c.wt, ['commit', '-q', '-m', `[${s1}] OVERRIDE: Fix critical SESSION.md error`], c.env);
    expect(ov.status, ov.stderr).toBe(0);
    const override = git(c.wt, 'rev-parse', 'HEAD').trim();
    chmodSync(md, 0o444);
    commitIn(c, `[${s1}] docs: worklog: why SESSION.md was overridden`, { [`${S}/active/${s1}/worklog.md`]: '# Worklog\n\n- OVERRIDE: macOS is out of scope\n' });
    commitIn(c, `[${s1}] feat: the work`, { 'linux.txt': 'l\n' });
    const done = a!.cli(['complete', s1, '--notes', 'Done on Linux.', '--json']);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.json.overrides).toEqual([override]);
    const body = git(hub, 'log', '-1', '--format=%B', 'main');
    expect(body).toContain(`Override: ${override} Fix critical SESSION.md error`);
    expect(body).toMatch(/^Override-Session-md: [0-9a-f]{40}$/m);
    expect(hubFile(hub, `${S}/completed/${s1}/SESSION.md`)).toMatch(/it works on Linux \(macOS is out of scope\)[\s\S]*## Final notes \(.+\)\n\nDone on Linux\.\n$/);
    // CI's judgement of the whole history agrees with the hub's.
    expect(a!.git('rev-parse', 'main').trim()).toBe(git(hub, 'rev-parse', 'main').trim());
    const check = a!.cli(['check', '--all']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it('a completion commit that changes SESSION.md beyond what its trailers name is refused locally, and says so', () => {
    const { hub, slugs } = plannedHub(1);
    const s1 = slugs[0]!;
    const [a] = agents(hub, 1);
    const c = claimIn(a!, s1);
    const md = join(c.wt, S, 'active', s1, 'SESSION.md');
    chmodSync(md, 0o644);
    writeFileSync(md, readFileSync(md, 'utf8').replace('it works', 'it sort of works'));
    git(c.wt, 'add', `${S}/active/${s1}/SESSION.md`);
    // Sneaked in without OVERRIDE (hooks skipped): no trailer can name it.
    expect(gitTry(c.wt, ['commit', '-q', '--no-verify', '-m', `[${s1}] docs: soften the criterion`], c.env).status).toBe(0);
    const main = git(hub, 'rev-parse', 'main').trim();
    const r = a!.cli(['complete', s1, '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('pre-push-refused');
    expect(r.json.error.message).toMatch(/run here.*nothing was pushed/);
    expect(r.json.error.message).not.toMatch(/hub refused/);
    expect(r.json.error.message).toContain('beyond appended notes');
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(main);
  });
});
