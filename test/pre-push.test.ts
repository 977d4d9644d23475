// The pre-push hook: git's stdin (`<local ref> <local id> <remote ref> <remote id>`) in all
// its shapes, and real pushes through a hooks folder that calls the bundled runner.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVE, alice, BAD_CASES, cleanHistory, work } from './helpers/history.ts';
import { git, gitTry, HOOK_RUNNER, makeHub, makeRepo, repoAt, tempDir, type Repo } from './helpers/repo.ts';

const ZERO40 = '0'.repeat(40);
const ZERO64 = '0'.repeat(64);

let hub: string;

function agent(): Repo {
  const dir = join(tempDir('as-prepush-'), 'work');
  git(tempDir(), 'clone', '-q', hub, dir);
  const repo = repoAt(dir);
  // A hooks folder with only pre-push, calling the bundled runner as the husky shim does.
  const hooks = join(dir, '.git', 'test-hooks');
  mkdirSync(hooks, { recursive: true });
  writeFileSync(join(hooks, 'pre-push'), `#!/bin/sh\nexec node ${JSON.stringify(HOOK_RUNNER)} pre-push "$@"\n`);
  chmodSync(join(hooks, 'pre-push'), 0o755);
  repo.git('config', 'core.hooksPath', hooks);
  return repo;
}

function runHook(repo: Repo, input: string, args = ['origin', hub]) {
  return spawnSync(process.execPath, [HOOK_RUNNER, 'pre-push', ...args], { cwd: repo.dir, input, encoding: 'utf8' });
}

beforeAll(() => {
  const seed = makeRepo();
  cleanHistory(seed);
  hub = makeHub(seed);
});

describe('pre-push', () => {
  it('passes with an empty stdin, a deletion, a tag and a session branch', () => {
    const repo = agent();
    const bad = BAD_CASES[0]!.make(repo);
    expect(runHook(repo, '').status).toBe(0);
    expect(runHook(repo, `(delete) ${ZERO40} refs/heads/main ${git(hub, 'rev-parse', 'main').trim()}\n`).status).toBe(0);
    expect(runHook(repo, `refs/tags/v1 ${bad} refs/tags/v1 ${ZERO40}\n`).status).toBe(0);
    expect(runHook(repo, `refs/heads/session/x ${bad} refs/heads/session/x ${ZERO64}\n`).status).toBe(0);
  });

  it('refuses a bad commit bound for main among thousands of lines, with 64-char zero ids', () => {
    const repo = agent();
    const bad = BAD_CASES[0]!.make(repo);
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(`refs/heads/b${i} ${bad} refs/heads/b${i} ${ZERO64}`);
    lines.push(`HEAD ${bad} refs/heads/main ${git(hub, 'rev-parse', 'main').trim()}`);
    const result = runHook(repo, `${lines.join('\n')}\n`);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain(`${bad.slice(0, 12)} [message-format]`);
    expect(result.stderr).toMatch(/fix: /);
  });

  it('judges only commits the remote lacks (a remote id unknown locally falls back to remote-tracking refs)', () => {
    const repo = agent();
    const good = work(repo, ACTIVE, alice);
    expect(runHook(repo, `refs/heads/main ${good} refs/heads/main ${'1'.repeat(40)}\n`).status).toBe(0);
  });

  // pre-push runs message-format, session-md-readonly, kb-canonical and lifecycle; attribution
  // needs the hub's view and runs in CI and pre-receive only.
  for (const bad of BAD_CASES.filter((c) => c.rule !== 'attribution')) {
    it(`refuses a real push of ${bad.name} (${bad.rule}) and leaves the hub unchanged`, () => {
      const repo = agent();
      const before = git(hub, 'rev-parse', 'main').trim();
      const sha = bad.make(repo);
      const result = gitTry(repo.dir, ['push', 'origin', 'HEAD:main']);
      expect(result.status, result.stderr).not.toBe(0);
      expect(result.stderr).toContain(`${sha.slice(0, 12)} [${bad.rule}]`);
      expect(git(hub, 'rev-parse', 'main').trim()).toBe(before);
    });
  }

  it('lets a good push through', () => {
    const repo = agent();
    const sha = work(repo, ACTIVE, alice);
    const result = gitTry(repo.dir, ['push', 'origin', 'HEAD:main']);
    expect(result.status, result.stderr).toBe(0);
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(sha);
  });

  it('runs through the CLI too: agent-sessions hook pre-push', () => {
    const repo = agent();
    const bad = BAD_CASES[0]!.make(repo);
    const result = repo.cli(['hook', 'pre-push', 'origin', hub], { input: `refs/heads/main ${bad} refs/heads/main ${git(hub, 'rev-parse', 'main').trim()}\n` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[message-format]');
  });
});
