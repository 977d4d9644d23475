// The hub's pre-receive hook, installed with install-server-hook into a real bare repo:
// every bad push of the acceptance criteria is refused with the commit, the rule and the
// fix visible to the pusher (as remote: lines), good pushes are accepted, over file:// and
// over git:// (git daemon on 127.0.0.1, stopped by its PID).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type GitDaemon } from './helpers/daemon.ts';
import { ACTIVE, alice, BAD_CASES, cleanHistory, work } from './helpers/history.ts';
import { git, gitTry, makeRepo, repoAt, runCli, tempDir, type Repo } from './helpers/repo.ts';

let hub: string;
let daemon: GitDaemon | undefined;

beforeAll(async () => {
  const seed = makeRepo();
  cleanHistory(seed);
  hub = join(tempDir('as-hub-'), 'hub.git');
  git(tempDir(), 'clone', '-q', '--bare', seed.dir, hub);
  const installed = runCli(seed.dir, ['install-server-hook', hub]);
  if (installed.code !== 0) throw new Error(installed.stderr);
  daemon = await startDaemon(hub);
});

afterAll(async () => {
  await daemon?.stop();
});

function pusher(url: string): Repo {
  const dir = join(tempDir('as-pusher-'), 'work');
  git(tempDir(), 'clone', '-q', url, dir);
  return repoAt(dir);
}

function push(repo: Repo, ref = 'main') {
  // --no-verify: the client's hooks are skipped on purpose; the hub must catch it.
  return gitTry(repo.dir, ['push', '--no-verify', 'origin', `HEAD:refs/heads/${ref}`]);
}

describe('install-server-hook', () => {
  it('writes a marked sh hook and a copy of the bundled runner; re-running upgrades it', () => {
    const hook = readFileSync(join(hub, 'hooks', 'pre-receive'), 'utf8');
    expect(hook).toMatch(/^#!\/bin\/sh/);
    expect(hook).toContain('agent-sessions: server hook');
    expect(existsSync(join(hub, 'hooks', 'agent-sessions-hook.cjs'))).toBe(true);
    // The policy is pinned next to the hook, out of reach of any push.
    const pinned = JSON.parse(readFileSync(join(hub, 'agent-sessions', 'policy.json'), 'utf8'));
    expect(pinned).toMatchObject({ version: 1, branch: 'main', commit: git(hub, 'rev-parse', 'main').trim(), source: 'agent-sessions.config.json' });
    const again = runCli(tempDir(), ['install-server-hook', hub, '--json']);
    expect(again.code).toBe(0);
    expect(again.json.replaced).toBe(true);
    expect(again.json.policy.changed).toEqual([]);
  });

  it('on an empty hub pins the defaults and says to pin again after the first push', () => {
    const empty = join(tempDir(), 'empty.git');
    git(tempDir(), 'init', '-q', '--bare', '-b', 'main', empty);
    const first = runCli(tempDir(), ['install-server-hook', empty, '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.policy).toMatchObject({ branch: 'main', commit: null, source: 'defaults' });
    expect(first.json.policy.notes.join(' ')).toMatch(/re-run install-server-hook after the first push/);
    const seed = makeRepo();
    cleanHistory(seed);
    expect(gitTry(seed.dir, ['push', '--no-verify', empty, 'main']).status).toBe(0);
    const second = runCli(tempDir(), ['install-server-hook', empty, '--json']);
    expect(second.json.policy).toMatchObject({ commit: git(empty, 'rev-parse', 'main').trim(), source: 'agent-sessions.config.json' });
  });

  it('on a hub whose main has not adopted the protocol yet, says to pin again after the adoption', () => {
    const plain = makeRepo({ init: false, link: false });
    const bare = join(tempDir(), 'plain.git');
    git(tempDir(), 'clone', '-q', '--bare', plain.dir, bare);
    const result = runCli(tempDir(), ['install-server-hook', bare, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.policy.source).toBe('defaults');
    expect(result.json.policy.notes.join(' ')).toMatch(/has not adopted agent-sessions yet.*re-run install-server-hook after the adoption commit is pushed/);
  });

  it('refuses a non-bare repository and a foreign pre-receive hook', () => {
    const work = makeRepo({ init: false, link: false });
    expect(runCli(work.dir, ['install-server-hook', work.dir]).code).toBe(2);
    const other = join(tempDir(), 'other.git');
    git(tempDir(), 'init', '-q', '--bare', other);
    writeFileSync(join(other, 'hooks', 'pre-receive'), '#!/bin/sh\nexit 0\n');
    const result = runCli(tempDir(), ['install-server-hook', other]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/mv /);
    // A hand-written hook keeps its place; --pin-only pins the policy it needs.
    const pinned = runCli(tempDir(), ['install-server-hook', other, '--pin-only', '--json']);
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(existsSync(join(other, 'agent-sessions', 'policy.json'))).toBe(true);
    expect(readFileSync(join(other, 'hooks', 'pre-receive'), 'utf8')).toBe('#!/bin/sh\nexit 0\n');
  });
});

for (const transport of ['file', 'git'] as const) {
  describe(`pre-receive over ${transport}://`, () => {
    const url = () => (transport === 'file' ? `file://${hub}` : daemon!.url);

    for (const bad of BAD_CASES) {
      it(`refuses ${bad.name} with ${bad.rule}, the commit and a fix`, () => {
        const repo = pusher(url());
        const before = git(hub, 'rev-parse', 'main').trim();
        const sha = bad.make(repo);
        const result = push(repo);
        expect(result.status, result.stderr).not.toBe(0);
        expect(result.stderr).toMatch(/remote: .*refused/);
        expect(result.stderr).toContain(`[${bad.rule}]`);
        expect(result.stderr).toContain(sha.slice(0, 12));
        expect(result.stderr).toMatch(/remote: .*fix: /);
        expect(git(hub, 'rev-parse', 'main').trim()).toBe(before);
        // The refused objects never reach the hub (quarantine discarded).
        expect(gitTry(hub, ['cat-file', '-e', sha]).status).not.toBe(0);
      });
    }

    it('accepts a good push', () => {
      const repo = pusher(url());
      const sha = work(repo, ACTIVE, alice);
      const result = push(repo);
      expect(result.status, result.stderr).toBe(0);
      expect(git(hub, 'rev-parse', 'main').trim()).toBe(sha);
    });
  });
}

describe('pre-receive on other refs', () => {
  it('judges a session branch (attribution applies off main too) and accepts tags', () => {
    const repo = pusher(`file://${hub}`);
    repo.git('checkout', '-q', '-b', `session/${ACTIVE}`);
    const bad = BAD_CASES.find((c) => c.rule === 'attribution')!.make(repo);
    const refused = push(repo, `session/${ACTIVE}`);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain(bad.slice(0, 12));
    repo.git('tag', 'v-bad');
    expect(gitTry(repo.dir, ['push', '--no-verify', 'origin', 'refs/tags/v-bad']).status).toBe(0);
  });

  it('refuses deleting main', () => {
    const repo = pusher(`file://${hub}`);
    const result = gitTry(repo.dir, ['push', '--no-verify', 'origin', ':refs/heads/main']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/deleting main is refused/);
  });
});
