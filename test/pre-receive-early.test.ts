// The hub's pre-receive starts a first push's git processes before the rules load
// (src/hooks/pre-receive-early.ts, src/early-git.ts). What must hold: the walk really takes
// them (they are the calls it makes: when the walk's calls change, this test says so), the
// verdict is the one the hook gives without them, and a process nobody takes never keeps the
// hook (or the push) waiting.
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVE, alice, BAD_CASES, cleanHistory, commitAs, planner, work } from './helpers/history.ts';
import { CLI, git, gitTry, HOOK_RUNNER, makeRepo, runCli, tempDir, type Repo } from './helpers/repo.ts';

const DEBUG = { AGENT_SESSIONS_DEBUG: '1' };
const ZERO = '0'.repeat(40);

/** An empty bare hub with the server hook installed (the defaults pinned, as on a first push). */
function emptyHub(): string {
  const hub = join(tempDir('as-early-'), 'hub.git');
  git(tempDir(), 'init', '-q', '--bare', '-b', 'main', hub);
  const installed = runCli(tempDir(), ['install-server-hook', hub]);
  if (installed.code !== 0) throw new Error(installed.stderr);
  return hub;
}

const withoutDebug = (text: string) =>
  text
    .split('\n')
    .filter((line) => !line.includes('[debug]') && !line.startsWith('agent-sessions: walk of'))
    .join('\n');

describe('pre-receive on a first push: git started before the rules load', () => {
  it('the walk takes the adoption search, its cat-file and its git log; the push is accepted', () => {
    const seed = makeRepo();
    cleanHistory(seed);
    const hub = emptyHub();
    const pushed = gitTry(seed.dir, ['push', '--no-verify', hub, 'main'], DEBUG);
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(pushed.stderr).toContain('git started early {"started":3,"used":3}');
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(git(seed.dir, 'rev-parse', 'main').trim());
  }, 120_000);

  it('gives the verdict the hook gives without them, for each bad case and a clean history', () => {
    const cases: { name: string; make: (repo: Repo) => void }[] = [
      { name: 'clean', make: () => {} },
      ...BAD_CASES,
      // Judged by the hub after the walk, from the tip's objects read ahead (src/policy/read-ahead.ts):
      {
        name: 'a pushed config that does not validate',
        make: (repo) => {
          repo.write('agent-sessions.config.json', `${JSON.stringify({ rules: { 'no-such-rule': 'error' } })}\n`);
          commitAs(repo, planner, '[maint] chore: switch on a rule', ['agent-sessions.config.json']);
        },
      },
      // Accepted, with the policy drift named from the tip's trees read ahead (no ls-tree).
      {
        name: 'accepted: templates and a bin folder on the tip',
        make: (repo) => {
          repo.write('_AGENTS/sessions/_templates/SESSION.md', '# {{ slug }}\n');
          repo.write('_AGENTS/sessions/_bin/tool.sh', 'echo hi\n');
          commitAs(repo, planner, '[maint] chore: templates and tools', ['_AGENTS/sessions/_templates/SESSION.md', '_AGENTS/sessions/_bin/tool.sh']);
        },
      },
    ];
    // One history and one hub for every case: each case starts from the clean tip again, and
    // its objects are pushed to the hub with no ref left behind (a first push, each time).
    const repo = makeRepo();
    cleanHistory(repo);
    const cleanTip = git(repo.dir, 'rev-parse', 'main').trim();
    const hub = emptyHub();
    renameSync(join(hub, 'hooks', 'pre-receive'), join(hub, 'hooks', 'pre-receive.off'));
    for (const c of cases) {
      git(repo.dir, 'reset', '-q', '--hard', cleanTip);
      git(repo.dir, 'clean', '-fdq');
      c.make(repo);
      git(repo.dir, 'push', '-q', '--no-verify', '--force', hub, 'main:refs/heads/main');
      git(hub, 'update-ref', '-d', 'refs/heads/main');
      const input = `${ZERO} ${git(repo.dir, 'rev-parse', 'main').trim()} refs/heads/main\n`;
      // The bundled runner starts git early; the CLI's `hook` verb never does.
      const early = spawnSync(process.execPath, [HOOK_RUNNER, 'pre-receive'], { cwd: hub, input, encoding: 'utf8', env: { ...process.env, ...DEBUG } });
      const plain = spawnSync(process.execPath, [CLI, 'hook', 'pre-receive'], { cwd: hub, input, encoding: 'utf8', env: { ...process.env, ...DEBUG } });
      expect(early.stderr, c.name).toContain('git started early {"started":3,"used":3}');
      expect(plain.stderr, c.name).not.toContain('git started early');
      expect(early.status, `${c.name}: ${early.stderr}`).toBe(plain.status);
      expect(withoutDebug(early.stderr), c.name).toBe(withoutDebug(plain.stderr));
      const accepted = c.name === 'clean' || c.name.startsWith('accepted');
      expect(early.status, c.name).toBe(accepted ? 0 : 1);
      if (c.name.startsWith('accepted')) expect(early.stderr).toMatch(/_AGENTS\/sessions\/_templates\/.*_AGENTS\/sessions\/_bin\//);
      if (c.name.startsWith('a pushed config')) expect(early.stderr).toMatch(/the pushed config does not validate/);
    }
  }, 300_000);

  it('a pinned policy that does not validate refuses at once; what started early does not hold the push', () => {
    const seed = makeRepo();
    cleanHistory(seed);
    const hub = emptyHub();
    const file = join(hub, 'agent-sessions', 'policy.json');
    const pinned = JSON.parse(readFileSync(file, 'utf8'));
    // Paths the early start takes as they are (it validates nothing), the hook refuses.
    writeFileSync(file, JSON.stringify({ ...pinned, config: { paths: { sessions: '../outside', lockFile: '/etc/passwd' } } }));
    const pushed = spawnSync('git', ['push', '--no-verify', hub, 'main'], { cwd: seed.dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...DEBUG } });
    expect(pushed.status, pushed.stderr).toBe(1);
    expect(pushed.stderr).toMatch(/remote: agent-sessions: push refused: .*pinned policy/);
    expect(pushed.stderr).toContain('git started early {"started":3,"used":0}');
    expect(gitTry(hub, ['rev-parse', '--verify', '-q', 'refs/heads/main']).status).not.toBe(0);
  }, 120_000);

  it('starts nothing early for a push onto an adopted main, and judges it as before', () => {
    const seed = makeRepo();
    cleanHistory(seed);
    const hub = emptyHub();
    expect(gitTry(seed.dir, ['push', '--no-verify', hub, 'main']).status).toBe(0);
    work(seed, ACTIVE, alice);
    const pushed = gitTry(seed.dir, ['push', '--no-verify', hub, 'main'], DEBUG);
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(pushed.stderr).not.toContain('git started early');
    const bad = BAD_CASES[0]!.make(seed);
    const refused = gitTry(seed.dir, ['push', '--no-verify', hub, 'main'], DEBUG);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(bad.slice(0, 12));
  }, 120_000);
});
