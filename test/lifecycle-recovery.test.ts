// Recovery paths: every printed recovery command works when copied (run here through sh),
// a stray hub branch is diagnosed at once, an interrupted claim resumes, a clone runs the
// hooks, and a full disk during complete's local fast-forward is finished by a rerun.
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agents, hubFile, plannedHub, S } from './helpers/lifecycle.js';
import { CLI, git, gitTry, runCli, tempDir } from './helpers/repo.js';

/** Runs a printed fix as a user would paste it into a shell in `cwd` (agent-sessions on PATH). */
function runFix(cwd: string, line: string, env: NodeJS.ProcessEnv = {}): ReturnType<typeof spawnSync> {
  const bin = join(cwd, 'node_modules', '.bin');
  return spawnSync('sh', ['-c', line], { cwd, encoding: 'utf8', env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH}` } });
}

describe('claim recovery', () => {
  it('a stray session/<slug> on the hub is diagnosed in one attempt (exit 1), and its printed fix works', () => {
    const { hub, slugs, planner } = plannedHub(1);
    const s1 = slugs[0]!;
    // A leftover branch on the hub, with a commit of its own.
    planner.git('checkout', '-q', '-b', `session/${s1}`);
    planner.write('leftover.txt', 'l\n');
    planner.git('add', 'leftover.txt');
    planner.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', `[${s1}] feat: leftover`);
    const stray = planner.git('rev-parse', 'HEAD').trim();
    planner.git('push', '-q', '--no-verify', 'origin', `session/${s1}`);
    planner.git('checkout', '-q', 'main');
    const [a] = agents(hub, 1);
    const trace = join(tempDir('as-trace-'), 'trace');
    const main = git(hub, 'rev-parse', 'main').trim();
    const r = a!.cli(['claim', s1, '--json'], { env: { AGENT_SESSIONS_TRACE_HUB: trace } });
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('stray-hub-branch');
    expect(readFileSync(trace, 'utf8')).not.toMatch(/attempt 2 /);
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(main);
    expect(gitTry(hub, ['cat-file', '-e', `main:${S}/active/${s1}`]).status).not.toBe(0);
    const fixed = runFix(a!.dir, r.json.error.fix.replace(/^[^:]*: /, ''));
    expect(fixed.status, `${fixed.stderr}`).toBe(0);
    expect(a!.git('rev-parse', `refs/agent-sessions/backup/${s1}`).trim()).toBe(stray);
    expect(git(hub, 'ls-tree', '--name-only', `main:${S}/active`)).toContain(s1);
  });

  it('a claim killed after its push resumes when run again, from the token kept under .git/', () => {
    const { hub, slugs } = plannedHub(1);
    const s1 = slugs[0]!;
    const [a] = agents(hub, 1);
    const killed = a!.cli(['claim', s1], { env: { AGENT_SESSIONS_FAULT: 'claim:after-push:exit' } });
    expect(killed.code).toBe(99);
    const main = git(hub, 'rev-parse', 'main').trim();
    expect(existsSync(join(a!.dir, '.worktrees', s1))).toBe(false);
    const again = a!.cli(['claim', s1, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json.resumed).toBe(true);
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(main);
    expect(git(again.json.path, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe(`session/${s1}`);
  });

  it("a checkout that cannot be made after the push prints a `git worktree add` that works when copied", () => {
    const { hub, slugs } = plannedHub(1);
    const s1 = slugs[0]!;
    const [a] = agents(hub, 1);
    writeFileSync(join(a!.dir, '.worktrees'), 'in the way\n');
    const r = a!.cli(['claim', s1, '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('checkout-failed');
    rmSync(join(a!.dir, '.worktrees'));
    const line = /by hand: (.+)\)$/.exec(r.json.error.fix)![1]!;
    const fixed = runFix(a!.dir, line);
    expect(fixed.status, `${line}\n${fixed.stderr}`).toBe(0);
    expect(git(join(a!.dir, '.worktrees', s1), 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe(`session/${s1}`);
    expect(a!.cli(['complete', s1]).code).toBe(0);
  });
});

describe('claim --clone', () => {
  it('makes a shallow clone whose hooks run the same rules, and complete run inside it works', () => {
    const { hub, slugs } = plannedHub(1);
    const s1 = slugs[0]!;
    const [a] = agents(hub, 1);
    const r = a!.cli(['claim', s1, '--clone', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const clone = r.json.path as string;
    expect(git(clone, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
    expect(git(clone, 'remote', 'get-url', 'origin').trim()).toBe(hub);
    writeFileSync(join(clone, 'c.txt'), 'c\n');
    git(clone, 'add', 'c.txt');
    const bad = gitTry(clone, ['commit', '-q', '-m', 'no prefix'], r.json.env);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).not.toMatch(/not installed/);
    const good = gitTry(clone, ['commit', '-q', '-m', `[${s1}] feat: from the clone`], r.json.env);
    expect(good.status, good.stderr).toBe(0);
    const done = runCli(clone, ['complete', s1, '--json'], { env: r.json.env });
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(hubFile(hub, 'c.txt')).toBe('c\n');
    expect(existsSync(clone)).toBe(false);
  });
});

describe("complete's local fast-forward", () => {
  it('a write failure half-way (a full disk) is finished by the rerun, never advised as a commit', () => {
    const { hub, slugs, planner } = plannedHub(1);
    const s1 = slugs[0]!;
    planner.write('old.txt', 'old\n');
    expect(planner.commit('[maint] chore: a file the session removes', ['old.txt']).status).toBe(0);
    planner.git('push', '-q', 'origin', 'main');
    const [a] = agents(hub, 1);
    const c = a!.cli(['claim', s1, '--json']);
    expect(c.code).toBe(0);
    const wt = c.json.path as string;
    git(wt, 'rm', '-q', 'old.txt');
    writeFileSync(join(wt, 'big.txt'), 'a'.repeat(3_000_000));
    git(wt, 'add', 'big.txt');
    expect(gitTry(wt, ['commit', '-q', '-m', `[${s1}] feat: big file, old one gone`], c.json.env).status).toBe(0);
    // git writes through a wrapper that cannot write a file over ~1 MB (EFBIG, like ENOSPC).
    const bin = tempDir('as-limit-');
    const realGit = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(join(bin, 'git'), `#!/bin/sh\ntrap '' XFSZ\nulimit -f 2000\nexec ${realGit} "$@"\n`);
    chmodSync(join(bin, 'git'), 0o755);
    const full = spawnSync(process.execPath, [CLI, 'complete', s1, '--json'], { cwd: a!.dir, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    const first = JSON.parse(full.stdout);
    expect(first.ok, full.stderr).toBe(true);
    expect(first.localMain.status).toBe('half-updated');
    expect(first.localMain.note).not.toMatch(/commit/);
    expect(git(hub, 'ls-tree', '--name-only', 'main')).toContain('big.txt');
    // The rerun, with space again: the checkout is finished, nothing to commit.
    const again = a!.cli(['complete', s1, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json.localMain.status).toBe('updated');
    expect(a!.git('status', '--porcelain').trim()).toBe('');
    expect(a!.git('rev-parse', 'HEAD').trim()).toBe(git(hub, 'rev-parse', 'main').trim());
    expect(readFileSync(join(a!.dir, 'big.txt'), 'utf8').length).toBe(3_000_000);
  });
});
