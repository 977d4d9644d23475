// The hub behind a real smart-HTTP server (`git http-backend` on 127.0.0.1): claims race
// exactly once over HTTP with basic auth; a missing or wrong credential fails fast (exit 1,
// code hub-auth, a fix about credential helpers) instead of a prompt that waits, and leaves
// the hub as it was; a password in the remote URL is never printed, in text or JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpHub, type HttpHub } from './helpers/http-hub.ts';
import { LOCK, plannedHub, runCliAsync, S } from './helpers/lifecycle.ts';
import { git, linkPackage, repoAt, tempDir, type Repo } from './helpers/repo.ts';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SECRET = 's3cret-t0ken';
let server: HttpHub;
let hub: string;
let slugs: string[];

function cloneOver(url: string, name: string): Repo {
  const dir = join(tempDir(`as-http-${name}-`), 'work');
  git(tempDir(), 'clone', '-q', url, dir);
  git(dir, 'config', 'user.name', name);
  git(dir, 'config', 'user.email', `${name}@example.test`);
  linkPackage(dir);
  const repo = repoAt(dir);
  const installed = repo.cli(['install-hooks']);
  if (installed.code !== 0) throw new Error(installed.stderr);
  return repo;
}

beforeAll(async () => {
  const planned = plannedHub(3);
  hub = planned.hub;
  slugs = planned.slugs;
  server = await startHttpHub(hub, { credentials: `agent:${SECRET}` });
}, 120_000);

afterAll(async () => server?.stop());

describe('a hub over smart HTTP with basic auth', () => {
  it('fails fast without credentials: exit 1, hub-auth, a credential-helper fix, no prompt, hub unchanged', async () => {
    const agent = cloneOver(server.url, 'anon');
    const before = git(hub, 'rev-parse', 'main');
    const started = Date.now();
    // No stdin and no TTY, as an agent's shell runs it; GIT_TERMINAL_PROMPT is not set by us.
    const result = await runCliAsync(agent.dir, ['claim', slugs[0]!, '--json'], { env: { GIT_TERMINAL_PROMPT: undefined }, timeout: 30_000 });
    const elapsed = Date.now() - started;
    expect(result.code).toBe(1);
    expect(elapsed).toBeLessThan(5_000);
    expect(result.json?.error?.code).toBe('hub-auth');
    expect(result.json?.error?.fix).toMatch(/credential helper/);
    expect(result.json?.error?.fix).toMatch(/GIT_TERMINAL_PROMPT=0 git ls-remote origin/);
    expect(git(hub, 'rev-parse', 'main')).toBe(before);
    expect(git(agent.dir, 'branch', '--list', 'session/*').trim()).toBe('');
  }, 60_000);

  it('a wrong password is the same refusal, and the password is never printed', async () => {
    const agent = cloneOver(server.url, 'wrong');
    const wrongUrl = server.url.replace('http://', 'http://agent:wr0ng-pa55@');
    agent.git('remote', 'set-url', 'origin', wrongUrl);
    const result = await runCliAsync(agent.dir, ['claim', slugs[0]!, '--json'], { timeout: 30_000 });
    expect(result.code).toBe(1);
    expect(result.json?.error?.code).toBe('hub-auth');
    expect(result.stdout + result.stderr).not.toMatch(/wr0ng-pa55/);
    const text = await runCliAsync(agent.dir, ['claim', slugs[0]!], { timeout: 30_000 });
    expect(text.stderr).toMatch(/fix: set up a credential helper/);
    expect(text.stdout + text.stderr).not.toMatch(/wr0ng-pa55/);
  }, 60_000);

  it('doctor names the hub URL without its password, in text and JSON', async () => {
    const agent = cloneOver(server.authUrl, 'doctor');
    // A hub that does not answer makes doctor name its URL.
    agent.git('remote', 'set-url', 'origin', `http://agent:${SECRET}@127.0.0.1:9/hub.git`);
    for (const args of [['doctor'], ['doctor', '--json']]) {
      const result = await runCliAsync(agent.dir, args, { timeout: 30_000 });
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).toContain('http://***@127.0.0.1:9/hub.git');
      expect(result.stdout + result.stderr).not.toContain(SECRET);
    }
  }, 60_000);

  it('a protected main behind HTTP (GH006 from the hub) is hub-protected: exit 1 with the fix, hub unchanged', async () => {
    const hook = join(hub, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "error: GH006: Protected branch update failed for refs/heads/main." >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    try {
      const agent = cloneOver(server.authUrl, 'protected');
      const before = git(hub, 'rev-parse', 'main');
      const result = await runCliAsync(agent.dir, ['claim', slugs[0]!, '--json'], { timeout: 60_000 });
      expect(result.code).toBe(1);
      expect(result.json?.error?.code).toBe('hub-protected');
      expect(result.json?.error?.fix).toMatch(/agent-sessions init --hub-mode refs/);
      expect(result.stdout + result.stderr).not.toContain(SECRET);
      expect(git(hub, 'rev-parse', 'main')).toBe(before);
    } finally {
      rmSync(hook);
    }
  }, 90_000);

  it('agents with credentials race for the sessions: each claimed exactly once', async () => {
    const racers = Array.from({ length: 5 }, (_, i) => cloneOver(server.authUrl, `racer-${i + 1}`));
    const results = await Promise.all(racers.map((agent) => runCliAsync(agent.dir, ['next', '--claim', '--json'], { timeout: 110_000 })));
    const winners = results.filter((r) => r.code === 0);
    for (const r of results) expect([0, 3]).toContain(r.code);
    for (const r of results) expect(r.stdout + r.stderr).not.toContain(SECRET);
    const claimed = winners.map((r) => r.json?.slug ?? r.json?.session?.slug);
    // Three planned sessions, five agents: three winners, each a different session.
    expect(winners.length).toBe(3);
    expect(new Set(claimed).size).toBe(3);
    const lock = git(hub, 'show', `main:${LOCK}`).trim().split('\n').map((l) => l.split(':')[0]);
    expect(lock.sort()).toEqual([...slugs].sort());
    const active = git(hub, 'ls-tree', '--name-only', `main:${S}/active/`).trim().split('\n').filter((n) => n !== '.gitkeep').sort();
    expect(active).toEqual([...slugs].sort());
  }, 150_000);

});
