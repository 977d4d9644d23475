// The hooks keep working through everything git users do in a session worktree: amend,
// rebase (incl. reword via GIT_SEQUENCE_EDITOR), cherry-pick, revert, merge, stash, another
// linked worktree, a package in a subfolder, a repo whose core.hooksPath was set before init,
// and `commit --no-verify` (which skips the hooks, and `check` then catches).
import { chmodSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { plannedHub } from './helpers/lifecycle.ts';
import { cloneAgent, git, gitTry, linkPackage, repoAt, runCli, tempDir } from './helpers/repo.ts';

const SLUG = '2025-10-22-variety';
let wt: string; // the session's linked worktree, on session/<slug>

function commit(cwd: string, file: string, message: string, extra: string[] = []) {
  writeFileSync(join(cwd, file), `${file} ${Math.random()}\n`);
  git(cwd, 'add', file);
  return gitTry(cwd, ['commit', '-q', ...extra, '-m', message]);
}
const head = (cwd: string) => git(cwd, 'log', '-1', '--format=%s').trim();
/** An editor that writes `message` into whatever file git hands it. */
const editorWriting = (message: string) => `sh -c 'printf "%s\\n" "${message}" > "$1"' editor`;

beforeAll(() => {
  const { hub } = plannedHub(1, [SLUG]);
  const agent = cloneAgent(hub, 'variety');
  const claim = agent.cli(['claim', SLUG, '--json']);
  if (claim.code !== 0) throw new Error(`claim failed: ${claim.stderr}`);
  wt = claim.json.path;
  expect(commit(wt, 'a.txt', `[${SLUG}] feat: first`).status).toBe(0);
});

describe('hooks across git operations in a session worktree', () => {
  it('still refuse a bad header (the baseline every case below relies on)', () => {
    const result = commit(wt, 'bad.txt', 'no prefix at all');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/message-format/);
    git(wt, 'reset', '-q', 'bad.txt');
  });

  it('amend: a good header is kept, a bad one refused', () => {
    expect(gitTry(wt, ['commit', '-q', '--amend', '-m', `[${SLUG}] feat: first, amended`]).status).toBe(0);
    const bad = gitTry(wt, ['commit', '-q', '--amend', '-m', 'amended badly']);
    expect(bad.status).not.toBe(0);
    expect(head(wt)).toBe(`[${SLUG}] feat: first, amended`);
  });

  it('rebase -i with reword (detached HEAD): the hook judges the new message by the rebase branch', () => {
    expect(commit(wt, 'b.txt', `[${SLUG}] feat: second`).status).toBe(0);
    const env = { GIT_SEQUENCE_EDITOR: "sed -i -e '1s/^pick/reword/'", GIT_EDITOR: editorWriting(`[${SLUG}] feat: second, reworded`) };
    const ok = gitTry(wt, ['rebase', '-q', '-i', 'HEAD~1'], env);
    expect(ok.status, ok.stderr).toBe(0);
    expect(head(wt)).toBe(`[${SLUG}] feat: second, reworded`);
    const bad = gitTry(wt, ['rebase', '-q', '-i', 'HEAD~1'], { ...env, GIT_EDITOR: editorWriting('reworded without a prefix') });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/message-format/);
    git(wt, 'rebase', '--abort');
    expect(head(wt)).toBe(`[${SLUG}] feat: second, reworded`);
  });

  it('cherry-pick and revert of session commits', () => {
    git(wt, 'checkout', '-q', '-b', 'side');
    expect(commit(wt, 'c.txt', `[${SLUG}] fix: on a side branch`).status).toBe(0);
    const picked = git(wt, 'rev-parse', 'HEAD').trim();
    git(wt, 'checkout', '-q', `session/${SLUG}`);
    const pick = gitTry(wt, ['cherry-pick', picked]);
    expect(pick.status, pick.stderr).toBe(0);
    expect(head(wt)).toBe(`[${SLUG}] fix: on a side branch`);
    const revert = gitTry(wt, ['revert', '--no-edit', 'HEAD']);
    expect(revert.status, revert.stderr).toBe(0);
    expect(head(wt)).toMatch(/^Revert "/);
  });

  it('merge into the session branch (off main) and a stash round trip', () => {
    git(wt, 'checkout', '-q', 'side');
    expect(commit(wt, 'd.txt', `[${SLUG}] test: more on the side`).status).toBe(0);
    git(wt, 'checkout', '-q', `session/${SLUG}`);
    const merge = gitTry(wt, ['merge', '--no-ff', '-q', 'side', '-m', "Merge branch 'side'"]);
    expect(merge.status, merge.stderr).toBe(0);
    writeFileSync(join(wt, 'a.txt'), 'work in progress\n');
    expect(gitTry(wt, ['stash', '-q']).status).toBe(0);
    expect(gitTry(wt, ['stash', 'pop', '-q']).status).toBe(0);
    git(wt, 'add', 'a.txt');
    expect(gitTry(wt, ['commit', '-q', '-m', `[${SLUG}] feat: after the stash`]).status).toBe(0);
    expect(gitTry(wt, ['commit', '-q', '--allow-empty', '-m', 'after the stash, no prefix']).status).not.toBe(0);
  });

  it('another linked worktree shares the hooks', () => {
    const other = join(tempDir('as-wt-'), 'other');
    git(wt, 'worktree', 'add', '-q', '-b', `scratch-${process.pid}`, other);
    expect(commit(other, 'e.txt', 'no prefix in the other worktree').status).not.toBe(0);
    expect(commit(other, 'e.txt', '[maint] chore: scratch work').status).toBe(0);
  });

  it('commit --no-verify skips the hooks, and check catches what they would have refused', () => {
    const base = git(wt, 'rev-parse', 'HEAD').trim();
    expect(commit(wt, 'f.txt', 'skipped the hooks', ['--no-verify']).status).toBe(0);
    const check = runCli(wt, ['check', '--range', `${base}..HEAD`, '--format', 'json']);
    expect(check.code, check.stdout + check.stderr).toBe(1);
    expect(check.stdout).toMatch(/message-format/);
    git(wt, 'reset', '-q', '--hard', base);
  });
});

describe('hooks in unusual repository shapes', () => {
  it('a package in a subfolder of the repository', () => {
    const root = tempDir('as-sub-');
    git(root, 'init', '-q', '-b', 'main');
    const pkg = join(root, 'packages', 'app');
    git(root, 'commit', '-q', '--allow-empty', '-m', 'initial commit');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{"name":"app","version":"1.0.0"}\n');
    linkPackage(pkg);
    const init = runCli(pkg, ['init']);
    expect(init.code, init.stderr).toBe(0);
    expect(commit(pkg, 'x.txt', 'no prefix from the subfolder').status).not.toBe(0);
    expect(commit(pkg, 'x.txt', '[maint] chore: from the subfolder').status).toBe(0);
  });

  it("a preset core.hooksPath: init keeps it and adds our lines to the team's hook files; both run", () => {
    const dir = tempDir('as-hookspath-');
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'initial commit');
    mkdirSync(join(dir, '.githooks'), { recursive: true });
    writeFileSync(join(dir, '.githooks', 'pre-commit'), '#!/bin/sh\necho "team pre-commit ran" >&2\n');
    chmodSync(join(dir, '.githooks', 'pre-commit'), 0o755);
    git(dir, 'config', 'core.hooksPath', '.githooks');
    linkPackage(dir);
    const repo = repoAt(dir);

    const init = repo.cli(['init', '--json']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.json.hooks.manager).toBe('hooks-path');
    // the team's hooks path is kept: never taken over
    expect(git(dir, 'config', 'core.hooksPath').trim()).toBe('.githooks');
    expect(readFileSync(join(dir, '.githooks', 'pre-commit'), 'utf8')).toMatch(/^#!\/bin\/sh\necho "team pre-commit ran" >&2\n# agent-sessions:/);
    // ours refuses, and the team's hook ran first
    const refused = commit(dir, 'y.txt', 'no prefix after init');
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('team pre-commit ran');
    const ok = commit(dir, 'y.txt', '[maint] chore: adopt with the team hook kept');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('team pre-commit ran');
  });
});
