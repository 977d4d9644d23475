// complete, abandon and cancel over a real bare hub, with real hooks in the agent clones.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agents, claimIn, commitIn, hubFile, LOCK, plannedHub, S } from './helpers/lifecycle.js';
import { git, gitTry, runCli, snapshotTree, tempDir } from './helpers/repo.js';

describe('complete', () => {
  it('squashes the session onto a moved main in ONE commit with the archive, patch and kb session', () => {
    const { hub, slugs } = plannedHub(2);
    const [a, b] = agents(hub, 2);
    const s1 = slugs[0]!;
    const c = claimIn(a!, s1);
    commitIn(c, `[${s1}] feat: add the feature`, { 'src/feature.txt': 'feature\n', 'assets/blob.bin': Buffer.from([0, 1, 2, 255, 0, 7]) });
    commitIn(c, `[${s1}] docs: record learnings`, { [`_AGENTS/knowledge/sessions/${s1}/learnings.md`]: '- merge-tree needs no checkout\n' });
    claimIn(b!, slugs[1]!); // main moves under agent a
    const mainBefore = git(hub, 'rev-parse', 'main').trim();
    const tip = git(c.wt, 'rev-parse', 'HEAD').trim();
    const r = a!.cli(['complete', s1, '--notes', 'All criteria met.', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const main = git(hub, 'rev-parse', 'main').trim();
    expect(r.json.commit).toBe(main);
    expect(git(hub, 'rev-list', '--parents', '-1', 'main').trim().split(' ')).toEqual([main, mainBefore]);
    expect(git(hub, 'log', '-1', '--format=%an|%s', 'main').trim()).toBe(`agent-1|[${s1}] feat: complete session (active -> completed)`);
    expect(hubFile(hub, 'src/feature.txt')).toBe('feature\n');
    expect(hubFile(hub, `${S}/completed/${s1}/SESSION.md`)).toMatch(/## Final notes \(.+\)\n\nAll criteria met\.\n$/);
    expect(gitTry(hub, ['cat-file', '-e', `main:${S}/active/${s1}`]).status).not.toBe(0);
    expect(hubFile(hub, LOCK).trim().split('\n').map((l) => l.split(':')[0])).toEqual([slugs[1]]);
    const kb = r.json.kbSession as string;
    expect(kb).toMatch(/^kb-\d{4}-\d{2}-\d{2}-merge-task-1$/);
    expect(hubFile(hub, `${S}/planned/${kb}/SESSION.md`)).toContain(`knowledge/sessions/${s1}/learnings.md`);
    // The patch is the whole change against the merge base, and applies there.
    const patch = hubFile(hub, `${S}/completed/${s1}/${s1}.patch`);
    expect(patch).toContain('GIT binary patch');
    const check = join(tempDir('as-apply-'), 'c');
    git(tempDir(), 'clone', '-q', hub, check);
    git(check, 'checkout', '-q', a!.git('merge-base', mainBefore, tip).trim());
    writeFileSync(join(check, '..', 'p.patch'), patch);
    expect(gitTry(check, ['apply', '--check', join(check, '..', 'p.patch')]).status).toBe(0);
    // Nothing left behind: no worktree, no branch here or on the hub.
    expect(existsSync(c.wt)).toBe(false);
    expect(gitTry(a!.dir, ['rev-parse', '-q', '--verify', `refs/heads/session/${s1}`]).status).not.toBe(0);
    expect(git(hub, 'branch', '--list', `session/${s1}`).trim()).toBe('');
    expect(a!.git('rev-parse', 'main').trim()).toBe(main);
    // Run again: nothing to do, nothing duplicated.
    const again = a!.cli(['complete', s1, '--json']);
    expect(again.code).toBe(0);
    expect(again.json.resumed).toBe(true);
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(main);
  });

  it('finishes the clean-up when re-run after the hub already took the completion', () => {
    const { hub, slugs } = plannedHub(1);
    const s1 = slugs[0]!;
    const [a, twin] = agents(hub, 2);
    const c = claimIn(a!, s1);
    commitIn(c, `[${s1}] feat: work`, { 'work.txt': 'w\n' });
    git(c.wt, 'push', '-q', 'origin', `session/${s1}`);
    // The twin completes from the pushed branch (on purpose: it does not hold the session):
    // for `a` this is "killed after the push".
    twin!.git('fetch', '-q', 'origin', `session/${s1}:session/${s1}`);
    const first = twin!.cli(['complete', s1, '--take-over', '--reason', 'finishing for agent-1', '--json']);
    expect(first.code).toBe(0);
    expect(first.json.kbSession).toBeUndefined(); // no learnings written: no kb merge session
    expect(git(hub, 'ls-tree', '--name-only', `main:${S}/planned`)).not.toMatch(/kb-/);
    const main = git(hub, 'rev-parse', 'main').trim();
    const r = a!.cli(['complete', s1, '--json']);
    expect(r.code).toBe(0);
    expect(r.json.resumed).toBe(true);
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(main);
    expect(existsSync(c.wt)).toBe(false);
    expect(gitTry(a!.dir, ['rev-parse', '-q', '--verify', `refs/heads/session/${s1}`]).status).not.toBe(0);
  });

  it('refuses a dirty worktree (exit 1, files listed) and a real conflict, changing nothing', () => {
    const { hub, slugs, planner } = plannedHub(1);
    const s1 = slugs[0]!;
    const [a] = agents(hub, 1);
    const c = claimIn(a!, s1);
    commitIn(c, `[${s1}] docs: rewrite the readme`, { 'README.md': '# session version\n' });
    writeFileSync(join(c.wt, 'stray.txt'), 'x');
    const dirty = a!.cli(['complete', s1, '--json']);
    expect(dirty.code).toBe(1);
    expect(dirty.json.error.data.files).toContain('stray.txt');
    rmSync(join(c.wt, 'stray.txt'));
    planner.git('pull', '-q', '--ff-only');
    planner.write('README.md', '# main version\n');
    expect(planner.commit('[maint] docs: readme on main', ['README.md']).status).toBe(0);
    planner.git('push', '-q', 'origin', 'main');
    const hubMain = git(hub, 'rev-parse', 'main').trim();
    const before = { wt: snapshotTree(c.wt), main: a!.git('rev-parse', 'main').trim() };
    const r = a!.cli(['complete', s1, '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('merge-conflict');
    expect(r.json.error.message).toContain('README.md');
    expect(r.json.error.fix).toContain('git merge');
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(hubMain);
    expect(snapshotTree(c.wt)).toEqual(before.wt);
    expect(a!.git('rev-parse', 'main').trim()).toBe(before.main);
    expect(git(c.wt, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe(`session/${s1}`);
  });
});

describe('complete never deletes work on the hub', () => {
  it('refuses (exit 1) when the hub\'s session branch has commits the local branch lacks', () => {
    const { hub, slugs } = plannedHub(1);
    const s1 = slugs[0]!;
    const [a, other] = agents(hub, 2);
    const c = claimIn(a!, s1);
    other!.git('fetch', '-q', 'origin', `session/${s1}:session/${s1}`);
    other!.git('checkout', '-q', `session/${s1}`);
    other!.write('elsewhere.txt', 'e\n');
    other!.git('add', 'elsewhere.txt');
    other!.git('-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', `[${s1}] feat: pushed from elsewhere`);
    other!.git('push', '-q', '--no-verify', 'origin', `session/${s1}`);
    const hubMain = git(hub, 'rev-parse', 'main').trim();
    const r = a!.cli(['complete', s1, '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('hub-branch-ahead');
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(hubMain);
    expect(existsSync(c.wt)).toBe(true);
    // The fix, as printed, in the worktree (a local commit too, so the branches diverge).
    commitIn(c, `[${s1}] feat: local work`, { 'local.txt': 'l\n' });
    const line = /in the session's worktree: (.+), then run complete again/.exec(r.json.error.fix)![1]!;
    const fixed = spawnSync('sh', ['-c', line], { cwd: c.wt, encoding: 'utf8', env: { ...process.env, ...c.env } });
    expect(fixed.status, fixed.stderr).toBe(0);
    const done = a!.cli(['complete', s1, '--json']);
    expect(done.code, done.stderr).toBe(0);
    expect(hubFile(hub, 'elsewhere.txt')).toBe('e\n');
    expect(hubFile(hub, 'local.txt')).toBe('l\n');
  });
});

describe('complete from inside the worktree', () => {
  it('removes the very worktree it runs in and still finishes', () => {
    const { hub, slugs } = plannedHub(1);
    const s1 = slugs[0]!;
    const [a] = agents(hub, 1);
    const c = claimIn(a!, s1);
    commitIn(c, `[${s1}] feat: inside`, { 'inside.txt': 'i\n' });
    const done = runCli(c.wt, ['complete', s1, '--json']);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.json.resumed).toBe(false);
    expect(existsSync(c.wt)).toBe(false);
    expect(git(hub, 'branch', '--list', `session/${s1}`).trim()).toBe('');
    expect(a!.git('rev-parse', 'main').trim()).toBe(git(hub, 'rev-parse', 'main').trim());
  });
});

describe('complete from a clone', () => {
  it('takes the work from .sessions/<slug> and removes the clone', () => {
    const { hub, slugs } = plannedHub(1);
    const s1 = slugs[0]!;
    const [a] = agents(hub, 1);
    const r = a!.cli(['claim', s1, '--clone', '--json']);
    expect(r.code).toBe(0);
    commitIn({ wt: r.json.path, env: r.json.env }, `[${s1}] feat: from the clone`, { 'cloned.txt': 'c\n' });
    const done = a!.cli(['complete', s1, '--json']);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(hubFile(hub, 'cloned.txt')).toBe('c\n');
    expect(existsSync(r.json.path)).toBe(false);
    expect(git(hub, 'branch', '--list', `session/${s1}`).trim()).toBe('');
  });
});

describe('abandon and cancel', () => {
  it('abandon: active -> abandoned with the reason in worklog.md, branch kept on the hub', () => {
    const { hub, slugs } = plannedHub(1);
    const s1 = slugs[0]!;
    const [a] = agents(hub, 1);
    const c = claimIn(a!, s1);
    commitIn(c, `[${s1}] feat: half done`, { 'half.txt': 'h\n' });
    const tip = git(c.wt, 'rev-parse', 'HEAD').trim();
    const r = a!.cli(['abandon', s1, '--reason', 'blocked by the auth rewrite', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(hubFile(hub, `${S}/abandoned/${s1}/worklog.md`)).toMatch(/abandoned by agent-1: blocked by the auth rewrite\n$/);
    expect(hubFile(hub, LOCK)).toBe('');
    expect(git(hub, 'rev-parse', `session/${s1}`).trim()).toBe(tip);
    expect(gitTry(hub, ['cat-file', '-e', 'main:half.txt']).status).not.toBe(0);
    expect(existsSync(c.wt)).toBe(false);
    expect(gitTry(a!.dir, ['rev-parse', '-q', '--verify', `refs/heads/session/${s1}`]).status).not.toBe(0);
    expect(a!.cli(['abandon', s1, '--reason', 'again']).code).toBe(0);
  });

  it('cancel: planned -> abandoned on the hub; a later claim loses; an active session cannot be cancelled', () => {
    const { hub, slugs } = plannedHub(2);
    const [a, b] = agents(hub, 2);
    const r = a!.cli(['cancel', slugs[0]!, '--reason', 'duplicate', '--json']);
    expect(r.code).toBe(0);
    expect(r.json.from).toBe('planned');
    expect(git(hub, 'ls-tree', '--name-only', `main:${S}/abandoned`)).toContain(slugs[0]!);
    expect(b!.cli(['claim', slugs[0]!]).code).toBe(3);
    expect(b!.cli(['claim', slugs[1]!]).code).toBe(0);
    expect(a!.cli(['cancel', slugs[1]!]).code).toBe(3);
  });
});
