import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitTry, linkPackage, makeRepo, repoAt, runCli, snapshotTree, tempDir } from './helpers/repo.ts';

const HOOKS = ['commit-msg', 'pre-commit', 'prepare-commit-msg', 'pre-push', 'post-checkout'];

function bareRepo(withPackageJson: boolean) {
  const dir = tempDir('as-init-');
  git(dir, 'init', '-q', '-b', 'main');
  if (withPackageJson) writeFileSync(join(dir, 'package.json'), '{\n  "name": "adopter",\n  "version": "1.0.0"\n}\n');
  linkPackage(dir);
  return repoAt(dir);
}

describe('init', () => {
  it('creates the layout, config, README, _bin wrappers, .gitignore lines and five husky hooks', () => {
    const repo = bareRepo(true);
    const result = repo.cli(['init', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const created: string[] = result.json.created;
    for (const state of ['drafting', 'planned', 'active', 'completed', 'abandoned']) {
      expect(created).toContain(`_AGENTS/sessions/${state}/.gitkeep`);
    }
    for (const path of ['_AGENTS/sessions/sessions.lock', '_AGENTS/sessions/SESSIONS-README.md', 'agent-sessions.config.json', '_AGENTS/knowledge/sessions/.gitkeep']) {
      expect(created).toContain(path);
    }
    expect(repo.read('_AGENTS/sessions/sessions.lock')).toBe('');
    for (const hook of HOOKS) {
      expect(repo.exists(`.husky/${hook}`)).toBe(true);
      expect(statSync(join(repo.dir, '.husky', hook)).mode & 0o111).not.toBe(0);
    }
    for (const bin of ['claim-session', 'complete-session']) {
      const file = join(repo.dir, '_AGENTS/sessions/_bin', bin);
      expect(statSync(file).mode & 0o111).not.toBe(0);
      expect(readFileSync(file, 'utf8')).toContain(`agent-sessions ${bin.split('-')[0]}`);
    }
    expect(repo.read('.gitignore')).toMatch(/^\.worktrees\/$/m);
    expect(repo.read('.gitignore')).toMatch(/^\.sessions\/$/m);
    expect(repo.git('config', 'core.hooksPath').trim()).toBe(join(repo.dir, '.husky', '_'));
    expect(JSON.parse(repo.read('package.json')).scripts.prepare).toBe('agent-sessions install-hooks');
    expect(result.json.updated).toContain('package.json');
    // init never commits
    expect(gitTry(repo.dir, ['rev-parse', '--verify', '-q', 'HEAD']).status).not.toBe(0);
  });

  it('is byte-identical the second time', () => {
    const repo = bareRepo(true);
    expect(repo.cli(['init']).code).toBe(0);
    const before = snapshotTreeNoHead(repo.dir);
    const second = repo.cli(['init', '--json']);
    expect(second.code).toBe(0);
    expect(second.json.created).toEqual([]);
    expect(second.json.updated).toEqual([]);
    expect(snapshotTreeNoHead(repo.dir)).toEqual(before);
    expect(repo.cli(['init']).stdout).toContain('nothing changed');
  });

  it('works without a package.json and from a subfolder', () => {
    const repo = bareRepo(false);
    mkdirSync(join(repo.dir, 'deep', 'er'), { recursive: true });
    const result = runCli(join(repo.dir, 'deep', 'er'), ['init']);
    expect(result.code, result.stderr).toBe(0);
    expect(repo.exists('_AGENTS/sessions/planned/.gitkeep')).toBe(true);
    expect(repo.exists('deep/er/_AGENTS')).toBe(false);
  });

  it('keeps an existing hook script and appends the agent-sessions lines once', () => {
    const repo = bareRepo(true);
    mkdirSync(join(repo.dir, '.husky'), { recursive: true });
    writeFileSync(join(repo.dir, '.husky', 'pre-commit'), 'npm test\n');
    chmodSync(join(repo.dir, '.husky', 'pre-commit'), 0o755);
    expect(repo.cli(['init']).code).toBe(0);
    const text = repo.read('.husky/pre-commit');
    expect(text.startsWith('npm test\n')).toBe(true);
    expect(text).toContain('hooks/run.sh');
    repo.cli(['init']);
    expect(repo.read('.husky/pre-commit')).toBe(text);
  });

  it('leaves an existing .gitignore content in place and adds only missing lines', () => {
    const repo = bareRepo(true);
    writeFileSync(join(repo.dir, '.gitignore'), 'node_modules\n.worktrees/\n');
    repo.cli(['init']);
    const text = repo.read('.gitignore');
    expect(text.startsWith('node_modules\n.worktrees/\n')).toBe(true);
    expect(text.match(/^\.worktrees\/$/gm)).toHaveLength(1);
    expect(text).toMatch(/^\.sessions\/$/m);
  });

  it('outside a git repository: exit 2, one clear line, nothing written', () => {
    const dir = tempDir('as-nogit-');
    const result = runCli(dir, ['init']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/not inside a git work tree/);
    expect(existsSync(join(dir, '_AGENTS'))).toBe(false);
    const json = runCli(dir, ['init', '--json']);
    expect(json.json).toMatchObject({ ok: false, exitCode: 2, error: { code: 'not-a-repo' } });
  });

  it('refuses a config with an unknown key before writing anything', () => {
    const repo = bareRepo(true);
    writeFileSync(join(repo.dir, 'agent-sessions.config.json'), '{"paths": {"sesions": "x"}}');
    const before = snapshotTreeNoHead(repo.dir);
    const result = repo.cli(['init']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown key "paths.sesions"');
    expect(snapshotTreeNoHead(repo.dir)).toEqual(before);
  });

  it('makes hooks run through the runner, in the main checkout and a linked worktree', () => {
    const repo = makeRepo();
    repo.write('a.txt', 'a\n');
    repo.git('add', 'a.txt');
    const commit = gitTry(repo.dir, ['commit', '-q', '-m', '[maint] chore: add a'], { AGENT_SESSIONS_DEBUG: '1' });
    expect(commit.status, commit.stderr).toBe(0);
    expect(commit.stderr).toContain('agent-sessions[debug]: pre-commit');
    expect(commit.stderr).toContain('agent-sessions[debug]: commit-msg');
    const wt = join(tempDir('as-wt-'), 'wt');
    repo.git('worktree', 'add', '-q', '-b', 'feature', wt);
    writeFileSync(join(wt, 'b.txt'), 'b\n');
    git(wt, 'add', 'b.txt');
    const inWorktree = gitTry(wt, ['commit', '-q', '-m', '[maint] chore: add b'], { AGENT_SESSIONS_DEBUG: '1' });
    expect(inWorktree.status, inWorktree.stderr).toBe(0);
    expect(inWorktree.stderr).toContain('agent-sessions[debug]: commit-msg');
  });

  it('AGENT_SESSIONS=0 skips each hook with one line', () => {
    const repo = makeRepo();
    const commit = gitTry(repo.dir, ['commit', '-q', '--allow-empty', '-m', 'anything'], { AGENT_SESSIONS: '0' });
    expect(commit.status).toBe(0);
    expect(commit.stderr).toContain('AGENT_SESSIONS=0, commit-msg checks skipped');
  });
});

function snapshotTreeNoHead(dir: string) {
  const snap = snapshotTree(dir);
  delete snap['<HEAD>'];
  return snap;
}
