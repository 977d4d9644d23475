// Beside the hook manager a team already runs: lefthook and simple-git-hooks installed from
// npm (into a scratch prefix, scripts off), pre-commit where it is on PATH, husky with an early
// `exit`, and a team's own core.hooksPath folder. In each: init joins the manager (never
// takes core.hooksPath over), the team's hook and ours both run, in the main checkout and in a
// linked worktree, a second init changes no byte, and doctor proves every hook is reached and
// names the one that is not.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { npmEnv } from './helpers/child-env.ts';
import { gitTry, makeRepo, repoAt, tempDir, type Repo } from './helpers/repo.ts';

const TOOLS = join(tmpdir(), 'as-hook-managers-lefthook-2.2.2-sgh-2.14.0');
const BIN = join(TOOLS, 'node_modules', '.bin');
const hasPreCommit = spawnSync('pre-commit', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasPreCommit) console.log('hook-managers: pre-commit is not on PATH (pip install pre-commit): its cases are skipped');

beforeAll(() => {
  if (existsSync(join(BIN, 'lefthook')) && existsSync(join(BIN, 'simple-git-hooks'))) return;
  mkdirSync(TOOLS, { recursive: true });
  // --ignore-scripts: lefthook's and simple-git-hooks' postinstall would install hooks into
  // whatever repository npm was started from.
  execFileSync('npm', ['install', '--prefix', TOOLS, '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', 'lefthook@2.2.2', 'simple-git-hooks@2.14.0'], { stdio: 'ignore', env: npmEnv() });
}, 120_000);

let counter = 0;
/** Commits a fresh file with `message`; returns git's result and whether HEAD moved. */
function commit(repo: Repo, message: string, extra: { path?: string } = {}) {
  const before = repo.git('rev-parse', 'HEAD').trim();
  const file = extra.path ?? `work-${++counter}.txt`;
  repo.write(file, `${counter}\n`);
  repo.git('add', '--', file);
  const result = gitTry(repo.dir, ['commit', '-q', '-m', message]);
  const moved = repo.git('rev-parse', 'HEAD').trim() !== before;
  if (!moved) gitTry(repo.dir, ['reset', '-q', '--', file]);
  return { code: result.status, out: `${result.stdout}${result.stderr}`, moved };
}

/** Our rule refuses, the team's refuses, a message both accept lands; in `repo`. */
function bothRun(repo: Repo): void {
  const ours = commit(repo, 'no prefix at all');
  expect(ours.moved, ours.out).toBe(false);
  expect(ours.out).toMatch(/message-format/);
  const theirs = commit(repo, '[maint] chore: WIP');
  expect(theirs.moved, theirs.out).toBe(false);
  expect(theirs.out).toMatch(/team: no WIP/);
  const good = commit(repo, '[maint] chore: tidy');
  expect(good.moved, good.out).toBe(true);
}

function withWorktree(repo: Repo): Repo {
  const dir = join(tempDir('as-hm-wt-'), 'wt');
  repo.git('worktree', 'add', '-q', '-b', `side-${++counter}`, dir);
  return repoAt(dir);
}

function doctorReached(repo: Repo): Array<{ id: string; ok: boolean; message: string }> {
  const result = repo.cli(['doctor', '--json']);
  return result.json.checks.filter((c: { id: string }) => c.id.startsWith('reached:'));
}

function freshRepo(): Repo {
  const repo = makeRepo({ init: false });
  mkdirSync(join(repo.dir, 'node_modules', '.bin'), { recursive: true });
  return repo;
}

function adopt(repo: Repo): void {
  const init = repo.cli(['init', '--json']);
  expect(init.code, init.stderr + init.stdout).toBe(0);
  repo.git('add', '-A');
  repo.git('commit', '-q', '--no-verify', '-m', '[maint] chore: adopt agent-sessions');
}

describe('lefthook', () => {
  it('gets our commands in lefthook.yml (comments kept), runs beside the team\'s, in every worktree; doctor proves it', () => {
    const repo = freshRepo();
    symlinkSync(join(BIN, 'lefthook'), join(repo.dir, 'node_modules', '.bin', 'lefthook'));
    const teamConfig = '# the team\'s hooks\ncommit-msg:\n  commands:\n    no-wip:\n      run: "! grep -q WIP {1} || { echo \'team: no WIP\'; exit 1; }"\n';
    repo.write('lefthook.yml', teamConfig);
    adopt(repo);
    const config = repo.read('lefthook.yml');
    expect(config.startsWith("# the team's hooks")).toBe(true);
    expect(config).toMatch(/no-wip:/);
    expect(config).toContain('run: sh "$(git rev-parse --git-common-dir)/../node_modules/agent-sessions/hooks/run.sh" commit-msg {1}');
    expect(config).toMatch(/pre-push:[\s\S]*use_stdin: true/);
    expect(gitTry(repo.dir, ['config', '--get', 'core.hooksPath']).status).toBe(1);
    expect(readFileSync(join(repo.dir, '.git', 'hooks', 'commit-msg'), 'utf8')).toMatch(/lefthook/);

    bothRun(repo);
    bothRun(withWorktree(repo));
    expect(repo.cli(['init']).code).toBe(0);
    expect(repo.read('lefthook.yml')).toBe(config);
    for (const check of doctorReached(repo)) expect(check.ok, check.message).toBe(true);

    // The team drops our commit-msg command and reinstalls: doctor names it.
    repo.write('lefthook.yml', config.replace(/(commit-msg:\n  commands:\n[\s\S]*?)    agent-sessions:\n      run: [^\n]*\n/, '$1'));
    execFileSync(join(BIN, 'lefthook'), ['install'], { cwd: repo.dir, stdio: 'ignore' });
    const broken = doctorReached(repo);
    expect(broken.some((c) => !c.ok && /commit-msg never reach/.test(c.message))).toBe(true);
  }, 120_000);

  it('an earlier husky install of ours gives core.hooksPath back, so lefthook install works', () => {
    const repo = freshRepo();
    symlinkSync(join(BIN, 'lefthook'), join(repo.dir, 'node_modules', '.bin', 'lefthook'));
    adopt(repo);
    expect(repo.git('config', '--get', 'core.hooksPath').trim()).toMatch(/\.husky\/_$/);
    repo.write('lefthook.yml', 'commit-msg:\n  commands:\n    no-wip:\n      run: "! grep -q WIP {1} || { echo \'team: no WIP\'; exit 1; }"\n');
    expect(repo.cli(['install-hooks']).code).toBe(0);
    expect(gitTry(repo.dir, ['config', '--get', 'core.hooksPath']).status).toBe(1);
    bothRun(repo);
  }, 120_000);
});

describe('simple-git-hooks', () => {
  it('gets our command chained after the team\'s in package.json; a re-run of simple-git-hooks keeps it', () => {
    const repo = freshRepo();
    symlinkSync(join(BIN, 'simple-git-hooks'), join(repo.dir, 'node_modules', '.bin', 'simple-git-hooks'));
    symlinkSync(join(TOOLS, 'node_modules', 'simple-git-hooks'), join(repo.dir, 'node_modules', 'simple-git-hooks'), 'dir');
    repo.write('package.json', `${JSON.stringify({ name: 'team', 'simple-git-hooks': { 'commit-msg': '! grep -q WIP "$1" || { echo "team: no WIP"; exit 1; }' } }, null, 2)}\n`);
    adopt(repo);
    const pkg = JSON.parse(repo.read('package.json'));
    expect(pkg['simple-git-hooks']['commit-msg']).toMatch(/^! grep -q WIP .* && sh "\$\(git rev-parse --git-common-dir\)\/\.\.\/node_modules\/agent-sessions\/hooks\/run\.sh" commit-msg "\$@"$/);
    expect(gitTry(repo.dir, ['config', '--get', 'core.hooksPath']).status).toBe(1);
    bothRun(repo);
    execFileSync(join(BIN, 'simple-git-hooks'), { cwd: repo.dir, stdio: 'ignore' });
    bothRun(withWorktree(repo));
    const before = repo.read('package.json');
    expect(repo.cli(['init']).code).toBe(0);
    expect(repo.read('package.json')).toBe(before);
    for (const check of doctorReached(repo)) expect(check.ok, check.message).toBe(true);
  }, 120_000);
});

describe.runIf(hasPreCommit)('pre-commit', () => {
  it('gets local hooks for each stage in .pre-commit-config.yaml; pre-commit install runs them beside the team\'s', () => {
    const repo = freshRepo();
    const team = {
      repos: [{ repo: 'local', hooks: [{ id: 'no-wip', name: 'no WIP', entry: `sh -c '! grep -q WIP "$1" || { echo "team: no WIP"; exit 1; }' --`, language: 'system', stages: ['commit-msg'] }] }],
    };
    repo.write('.pre-commit-config.yaml', `# team\n${stringify(team)}`);
    adopt(repo);
    const config = repo.read('.pre-commit-config.yaml');
    expect(config).toMatch(/id: agent-sessions-commit-msg/);
    expect(config).toMatch(/id: no-wip/);
    expect(existsSync(join(repo.dir, '.git', 'hooks', 'commit-msg'))).toBe(true);
    bothRun(repo);
    expect(repo.cli(['init']).code).toBe(0);
    expect(repo.read('.pre-commit-config.yaml')).toBe(config);
    for (const check of doctorReached(repo)) expect(check.ok, check.message).toBe(true);
  }, 180_000);
});

describe('husky with an early exit', () => {
  it('gets our line before the exit, and doctor catches a line moved after it', () => {
    const repo = freshRepo();
    repo.write('.husky/commit-msg', 'grep -q WIP "$1" && { echo "team: no WIP"; exit 1; }\nexit 0\n');
    adopt(repo);
    const hook = repo.read('.husky/commit-msg');
    expect(hook.indexOf('# agent-sessions:')).toBeLessThan(hook.indexOf('exit 0'));
    bothRun(repo);
    for (const check of doctorReached(repo)) expect(check.ok, check.message).toBe(true);

    const ours = hook.split('\n').filter((l) => l.startsWith('# agent-sessions:') || l.startsWith('as_run=') || l.startsWith('if [ -f "$as_run" ]'));
    const rest = hook.split('\n').filter((l) => !ours.includes(l));
    writeFileSync(join(repo.dir, '.husky', 'commit-msg'), `${rest.join('\n').replace(/\n+$/, '\n')}${ours.join('\n')}\n`);
    expect(doctorReached(repo).some((c) => !c.ok && /commit-msg never reach/.test(c.message))).toBe(true);
    expect(repo.cli(['install-hooks']).code).toBe(0);
    for (const check of doctorReached(repo)) expect(check.ok, check.message).toBe(true);
  }, 120_000);
});

describe("a team's own core.hooksPath folder", () => {
  it('keeps the team\'s hooksPath and adds our shims to its hook files', () => {
    const repo = freshRepo();
    repo.write('.githooks/commit-msg', '#!/bin/sh\ngrep -q WIP "$1" && { echo "team: no WIP"; exit 1; }\nexit 0\n');
    execFileSync('chmod', ['+x', join(repo.dir, '.githooks', 'commit-msg')]);
    repo.git('config', 'core.hooksPath', '.githooks');
    adopt(repo);
    expect(repo.git('config', '--get', 'core.hooksPath').trim()).toBe('.githooks');
    expect(repo.read('.githooks/pre-commit')).toMatch(/^#!\/bin\/sh\n# agent-sessions:/);
    bothRun(repo);
    for (const check of doctorReached(repo)) expect(check.ok, check.message).toBe(true);
  }, 120_000);
});

describe('a hook manager config that is not a plain file', () => {
  it('a lefthook.yml linked to /dev/zero is refused (exit 2, the fix), not read until memory runs out', () => {
    const repo = freshRepo();
    symlinkSync('/dev/zero', join(repo.dir, 'lefthook.yml'));
    const result = repo.cli(['install-hooks', '--json']);
    expect(result.code).toBe(2);
    expect(result.json?.error?.code).toBe('bad-hook-manager-config');
    expect(result.json?.error?.fix).toMatch(/replace lefthook\.yml with a plain file/);
  }, 60_000);
});

describe("doctor's probe and the team's own hooks", () => {
  // A team hook with a side effect (a formatter that edits a file): the probe must not run it
  // where the manager can skip it alone, and says so where it cannot.
  const SIDE_EFFECT = 'echo ran >> probe-side-effect.txt';

  it('lefthook: the team\'s commands, scripts and tagged jobs are excluded; ours are still proven reached', () => {
    const repo = freshRepo();
    symlinkSync(join(BIN, 'lefthook'), join(repo.dir, 'node_modules', '.bin', 'lefthook'));
    repo.write('lefthook.yml', `pre-commit:\n  commands:\n    format:\n      run: ${SIDE_EFFECT}\ncommit-msg:\n  commands:\n    lint:\n      tags: [style]\n      run: ${SIDE_EFFECT}\npost-checkout:\n  jobs:\n    - name: deps\n      run: ${SIDE_EFFECT}\n`);
    adopt(repo);
    for (const check of doctorReached(repo)) {
      expect(check.ok, check.message).toBe(true);
      expect(check.message).not.toMatch(/team's own commands/);
    }
    expect(existsSync(join(repo.dir, 'probe-side-effect.txt'))).toBe(false);
    // The team's command really runs on a commit: the probe skipped it, nothing else did.
    commit(repo, '[maint] chore: tidy');
    expect(existsSync(join(repo.dir, 'probe-side-effect.txt'))).toBe(true);
  }, 120_000);

  it.runIf(hasPreCommit)('pre-commit: the team\'s hooks are skipped by id (SKIP); ours are still proven reached', () => {
    const repo = freshRepo();
    const team = { repos: [{ repo: 'local', hooks: [{ id: 'format', name: 'format', entry: `sh -c '${SIDE_EFFECT}' --`, language: 'system', always_run: true, pass_filenames: false, stages: ['pre-commit'] }] }] };
    repo.write('.pre-commit-config.yaml', stringify(team));
    adopt(repo);
    for (const check of doctorReached(repo)) expect(check.ok, check.message).toBe(true);
    expect(existsSync(join(repo.dir, 'probe-side-effect.txt'))).toBe(false);
  }, 180_000);

  it('husky: the team\'s lines share the hook file with ours, so doctor says the probe ran them', () => {
    const repo = freshRepo();
    repo.write('.husky/pre-commit', `${SIDE_EFFECT}\n`);
    adopt(repo);
    const reached = doctorReached(repo);
    for (const check of reached) expect(check.ok, check.message).toBe(true);
    expect(reached[0]!.message).toMatch(/the probe ran each hook once, the team's own commands in it too/);
  }, 120_000);
});
