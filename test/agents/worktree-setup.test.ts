// Worktrees ready to work in: a claim copies the git-ignored files named in .worktreeinclude
// (and nothing else) into the new worktree and runs the trusted setup command once; a failing
// command leaves the claim done, with the fix in its notes; an untrusted one does not run.
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyIncluded } from '../../src/worktree-setup.ts';
import { cloneAgent, git, makeHub, makeRepo, tempDir, type Repo } from '../helpers/repo.ts';

function hubWithSetup(setup: string): Repo {
  const planner = makeRepo();
  const config = JSON.parse(planner.read('agent-sessions.config.json'));
  planner.write('agent-sessions.config.json', `${JSON.stringify({ ...config, worktree: { setup } }, null, 2)}\n`);
  planner.write('.gitignore', 'node_modules/\n.worktrees/\n.sessions/\n.env\n*.secret\n.env.link\nlocal/\n');
  git(planner.dir, 'add', '-A');
  git(planner.dir, 'commit', '-q', '--no-verify', '-m', '[maint] chore: worktree setup');
  for (const slug of ['2026-01-01-first-task', '2026-01-02-second-task']) {
    expect(planner.cli(['new', slug, '--criteria', 'it works']).code).toBe(0);
    expect(planner.cli(['ready', slug]).code).toBe(0);
  }
  const agent = cloneAgent(makeHub(planner), 'alice');
  agent.write('.worktreeinclude', '# what a session worktree needs\n.env\nnotes.txt\n.env.link\nlocal/\n');
  agent.write('.env', 'TOKEN=abc\n');
  agent.write('notes.txt', 'listed but not ignored\n');
  agent.write('other.secret', 'ignored but not listed\n');
  agent.write('local/deep/config.json', '{}\n');
  symlinkSync('/etc/hostname', join(agent.dir, '.env.link'));
  return agent;
}

describe('claim readies the worktree', () => {
  it('copies only ignored AND listed files, and runs the trusted setup once with its progress', () => {
    const setup = 'echo "setup for $SESSION_SLUG" >> .setup-ran && echo streamed-$((40 + 2))';
    const agent = hubWithSetup(setup);
    agent.git('config', 'agent-sessions.trustedSetup', setup);
    const r = agent.cli(['claim', '2026-01-01-first-task', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const path = (r.json as { path: string }).path;
    expect(agent.read(join('.worktrees/2026-01-01-first-task', '.env'))).toBe('TOKEN=abc\n');
    expect(agent.exists('.worktrees/2026-01-01-first-task/local/deep/config.json')).toBe(true);
    for (const rel of ['notes.txt', 'other.secret', '.env.link']) expect(agent.exists(join('.worktrees/2026-01-01-first-task', rel)), rel).toBe(false);
    expect(git(path, 'show', 'HEAD:.gitignore')).toContain('.env');
    expect(agent.read('.worktrees/2026-01-01-first-task/.setup-ran')).toBe('setup for 2026-01-01-first-task\n');
    expect(r.stderr).toMatch(/setting up .*echo/);
    expect(r.stderr).toContain('streamed-42');
    expect(r.stderr).toMatch(/setup done in/);
    expect(r.stdout).not.toContain('streamed-42');
    expect((r.json as { notes: string[] }).notes.join('\n')).toMatch(/copied 2 git-ignored file\(s\)/);
  });

  it('a failing setup command leaves the claim done, with a fix that names the command', () => {
    const agent = hubWithSetup('echo broken >&2; exit 7');
    const r = agent.cli(['claim', '2026-01-01-first-task', '--json'], { env: { AGENT_SESSIONS_TRUST_SETUP: '1' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ state: 'active', slug: '2026-01-01-first-task' });
    const notes = (r.json as { notes: string[] }).notes.join('\n');
    expect(notes).toMatch(/failed with exit 7; the claim is done/);
    expect(notes).toMatch(/cd '.*2026-01-01-first-task' && echo broken >&2; exit 7/);
    expect(r.stderr).toContain('broken');
    expect(agent.exists('.worktrees/2026-01-01-first-task/.env')).toBe(true);
  });

  it('an untrusted (or changed) committed setup command does not run; the note says how to trust it', () => {
    const agent = hubWithSetup('touch .should-not-exist');
    agent.git('config', 'agent-sessions.trustedSetup', 'touch .something-else');
    const r = agent.cli(['claim', '2026-01-02-second-task', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(agent.exists('.worktrees/2026-01-02-second-task/.should-not-exist')).toBe(false);
    expect((r.json as { notes: string[] }).notes.join('\n')).toMatch(/was not run: it is repository data that runs code.*git config agent-sessions\.trustedSetup 'touch \.should-not-exist'/);
  });

  it('a take-over readies its worktree the same way', () => {
    const setup = 'echo taken >> .setup-ran';
    const alice = hubWithSetup(setup);
    expect(alice.cli(['claim', '2026-01-01-first-task']).code).toBe(0);
    const bob = cloneAgent(alice.git('remote', 'get-url', 'origin').trim(), 'bob');
    const config = JSON.parse(bob.read('agent-sessions.config.json'));
    bob.write('agent-sessions.config.json', JSON.stringify({ ...config, stale: { lockAgeHours: 0, idleHours: 0 } }, null, 2));
    bob.write('.worktreeinclude', '.env\n');
    bob.write('.env', 'TOKEN=bob\n');
    bob.git('config', 'agent-sessions.trustedSetup', setup);
    bob.git('fetch', '-q', 'origin');
    const taken = bob.cli(['claim', '2026-01-01-first-task', '--take-over', '--reason', 'alice went quiet', '--json']);
    expect(taken.code, taken.stdout + taken.stderr).toBe(0);
    expect(bob.read('.worktrees/2026-01-01-first-task/.env')).toBe('TOKEN=bob\n');
    expect(bob.read('.worktrees/2026-01-01-first-task/.setup-ran')).toBe('taken\n');
  });

  it('never writes through a symlinked folder of the new worktree, nor over a file there', () => {
    const main = tempDir('as-main-');
    const worktree = tempDir('as-wt-');
    const outside = tempDir('as-outside-');
    for (const rel of ['a/b.txt', 'c.txt']) {
      mkdirSync(dirname(join(main, rel)), { recursive: true });
      writeFileSync(join(main, rel), 'secret\n');
    }
    symlinkSync(outside, join(worktree, 'a'));
    writeFileSync(join(worktree, 'c.txt'), 'theirs\n');
    expect(copyIncluded(main, worktree, ['a/b.txt', 'c.txt'])).toEqual({ copied: [], skipped: ['a/b.txt', 'c.txt'] });
    expect(readdirSync(outside)).toEqual([]);
    expect(readFileSync(join(worktree, 'c.txt'), 'utf8')).toBe('theirs\n');
  });
});
