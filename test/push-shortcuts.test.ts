// The pre-push hook is skipped for our own judged push only when it would run nothing but our
// line (src/hub/push-shortcuts.ts); every other shape runs the hooks as before.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hubReportsMain, noHooksConfig, onlyOurPrePush, prePushIsOnlyOurs } from '../src/hub/push-shortcuts.ts';
import { makeRepo, tempDir } from './helpers/repo.js';

describe('prePushIsOnlyOurs', () => {
  it('is true for the hooks init installs, and false once anything else would run', () => {
    const repo = makeRepo();
    expect(prePushIsOnlyOurs(repo.dir)).toBe(true);
    const user = join(repo.dir, '.husky', 'pre-push');
    const ours = readFileSync(user, 'utf8');
    // Comments and blank lines change nothing.
    writeFileSync(user, `# a note\n\n${ours}\n`);
    expect(prePushIsOnlyOurs(repo.dir)).toBe(true);
    // A project command of its own.
    writeFileSync(user, `${ours}npm test\n`);
    expect(prePushIsOnlyOurs(repo.dir)).toBe(false);
    // Our line pointing at another run.sh (a copy elsewhere may do anything).
    const elsewhere = tempDir('as-other-pkg-');
    cpSync(join(repo.dir, 'node_modules', 'agent-sessions', 'hooks'), join(elsewhere, 'hooks'), { recursive: true });
    writeFileSync(user, ours.replace(/as_run=.*$/m, `as_run="${elsewhere}"/hooks/run.sh`));
    expect(prePushIsOnlyOurs(repo.dir)).toBe(false);
    writeFileSync(user, ours);
    expect(prePushIsOnlyOurs(repo.dir)).toBe(true);
    // husky's shim changed, or hooksPath set by the environment.
    const shim = join(repo.dir, '.husky', '_', 'pre-push');
    const shimText = readFileSync(shim, 'utf8');
    writeFileSync(shim, `${shimText}echo more\n`);
    expect(prePushIsOnlyOurs(repo.dir)).toBe(false);
    writeFileSync(shim, shimText);
    const runner = join(repo.dir, '.husky', '_', 'h');
    const runnerText = readFileSync(runner, 'utf8');
    writeFileSync(runner, `${runnerText}echo more\n`);
    expect(prePushIsOnlyOurs(repo.dir)).toBe(false);
    writeFileSync(runner, runnerText);
    expect(prePushIsOnlyOurs(repo.dir)).toBe(true);
    expect(prePushIsOnlyOurs(repo.dir, { ...process.env, GIT_CONFIG_PARAMETERS: "'core.hookspath'='/elsewhere'" })).toBe(false);
    expect(prePushIsOnlyOurs(repo.dir, { ...process.env, GIT_CONFIG_COUNT: '1' })).toBe(false);
    expect(prePushIsOnlyOurs(repo.dir, { ...process.env, GIT_WORK_TREE: tempDir('as-other-tree-') })).toBe(false);
    // An include may set core.hooksPath: not followed, so not skipped.
    appendFileSync(join(repo.dir, '.git', 'config'), '[include]\n\tpath = other.config\n');
    expect(prePushIsOnlyOurs(repo.dir)).toBe(false);
  });

  it('is false for config shapes where git reads another core.hooksPath than the line-by-line reading', () => {
    // Each shape: git itself would not run .husky/_'s shim (another hooksPath, or .git/hooks).
    const shapes = [
      '[core "x"]\n\thooksPath = .husky/_\n', // core.x.hookspath: git's core.hooksPath is unset
      '[core] hooksPath = /elsewhere\n', // a key on the header's line
      '[core]\n\teditor = vi \\\n\thooksPath = .husky/_\n', // a continued value hides the key
    ];
    for (const shape of shapes) {
      const repo = makeRepo();
      if (shape.startsWith('[core "x"]')) repo.git('config', '--unset', 'core.hooksPath');
      appendFileSync(join(repo.dir, '.git', 'config'), shape);
      const gitSays = spawnSync('git', ['config', '--get', 'core.hooksPath'], { cwd: repo.dir, encoding: 'utf8' }).stdout.trim();
      expect(gitSays, shape).not.toBe('.husky/_');
      expect(prePushIsOnlyOurs(repo.dir), shape).toBe(false);
    }
  });

  it("is false when husky's runner would source the user's init.sh", () => {
    const repo = makeRepo();
    const home = tempDir('as-xdg-');
    expect(prePushIsOnlyOurs(repo.dir, { ...process.env, XDG_CONFIG_HOME: home })).toBe(true);
    mkdirSync(join(home, 'husky'));
    writeFileSync(join(home, 'husky', 'init.sh'), 'echo global pre-push step\n');
    expect(prePushIsOnlyOurs(repo.dir, { ...process.env, XDG_CONFIG_HOME: home })).toBe(false);
  });

  it('is read again for each push of a long-lived process (a pre-push line added since is seen)', () => {
    const repo = makeRepo();
    expect(onlyOurPrePush(repo.dir)).toBe(true);
    const user = join(repo.dir, '.husky', 'pre-push');
    writeFileSync(user, `${readFileSync(user, 'utf8')}npm test\n`);
    expect(onlyOurPrePush(repo.dir)).toBe(false);
  });

  it('is false without a core.hooksPath in the repository config', () => {
    const repo = makeRepo();
    repo.git('config', '--unset', 'core.hooksPath');
    expect(prePushIsOnlyOurs(repo.dir)).toBe(false);
  });
});

describe('noHooksConfig (the local fast-forward and the session worktree start no hook)', () => {
  const NONE = ['-c', 'core.hooksPath=/dev/null'];
  it("leaves the hooks out only while post-merge / post-checkout would run nothing but our line, and no other hook git may run exists", () => {
    const repo = makeRepo();
    expect(noHooksConfig(repo.dir, 'post-merge')).toEqual(NONE);
    expect(noHooksConfig(repo.dir, 'post-checkout')).toEqual(NONE);
    // A project command in .husky/post-merge: the merge runs the hooks.
    const user = join(repo.dir, '.husky', 'post-merge');
    const ours = readFileSync(user, 'utf8');
    writeFileSync(user, `${ours}npm ci\n`);
    expect(noHooksConfig(repo.dir, 'post-merge')).toEqual([]);
    expect(noHooksConfig(repo.dir, 'post-checkout')).toEqual(NONE);
    writeFileSync(user, ours);
    // Our pre-push line in post-checkout's file is not our post-checkout line.
    const checkout = join(repo.dir, '.husky', 'post-checkout');
    const checkoutText = readFileSync(checkout, 'utf8');
    writeFileSync(checkout, readFileSync(join(repo.dir, '.husky', 'pre-push'), 'utf8'));
    expect(noHooksConfig(repo.dir, 'post-checkout')).toEqual([]);
    writeFileSync(checkout, checkoutText);
    // A hook git runs on any ref or index update, put beside husky's shims by hand.
    for (const side of ['reference-transaction', 'post-index-change']) {
      const file = join(repo.dir, '.husky', '_', side);
      writeFileSync(file, '#!/bin/sh\necho side\n', { mode: 0o755 });
      expect(noHooksConfig(repo.dir, 'post-merge'), side).toEqual([]);
      expect(noHooksConfig(repo.dir, 'post-checkout'), side).toEqual([]);
      rmSync(file);
    }
    expect(noHooksConfig(repo.dir, 'post-merge')).toEqual(NONE);
    // A relative core.hooksPath: a new worktree's post-checkout would read it inside that tree.
    repo.git('config', 'core.hooksPath', '.husky/_');
    expect(noHooksConfig(repo.dir, 'post-merge')).toEqual(NONE);
    expect(noHooksConfig(repo.dir, 'post-checkout')).toEqual([]);
  });

  it('runs the hooks under doctor’s probe, which notes every hook reached', () => {
    const repo = makeRepo();
    process.env.AGENT_SESSIONS_PROBE = join(tempDir('as-probe-'), 'probe');
    try {
      expect(noHooksConfig(repo.dir, 'post-merge')).toEqual([]);
    } finally {
      delete process.env.AGENT_SESSIONS_PROBE;
    }
    expect(noHooksConfig(repo.dir, 'post-merge')).toEqual(NONE);
  });
});
