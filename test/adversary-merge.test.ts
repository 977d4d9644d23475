// Adversarial shapes found in review (notes/adversary.md): each one landed on a guarded hub
// before its fix. Real git, real bare hubs with the installed pre-receive.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVE, cleanHistory, commitAs, mallory, S, sessionMd } from './helpers/history.ts';
import { git, gitTry, makeRepo, repoAt, runCli, tempDir, type Repo } from './helpers/repo.ts';

let seed: Repo;

beforeAll(() => {
  seed = makeRepo();
  cleanHistory(seed);
});

function makeGuardedHub(): string {
  const hub = join(tempDir('as-hub-'), 'hub.git');
  git(tempDir(), 'clone', '-q', '--bare', seed.dir, hub);
  const installed = runCli(seed.dir, ['install-server-hook', hub]);
  if (installed.code !== 0) throw new Error(installed.stderr);
  return hub;
}

function cloneOf(hub: string): Repo {
  const dir = join(tempDir('as-adv-'), 'work');
  git(tempDir(), 'clone', '-q', hub, dir);
  return repoAt(dir);
}

describe('replace refs pushed to the hub', () => {
  it('do not change what the pre-receive judges: a SESSION.md edit hidden behind refs/replace is refused', () => {
    const hub = makeGuardedHub();
    const repo = cloneOf(hub);
    const old = repo.git('rev-parse', 'HEAD').trim();
    // The benign twin: a docs change.
    repo.write('docs/notes.md', '# notes\n');
    const benign = commitAs(repo, mallory, '[maint] docs: add notes', ['docs/notes.md']);
    repo.git('reset', '-q', '--hard', old);
    // The real commit: an active session's SESSION.md rewritten (session-md-readonly).
    repo.write(`${S}/active/${ACTIVE}/SESSION.md`, `${sessionMd(ACTIVE)}- and the scope doubled\n`);
    const bad = commitAs(repo, mallory, '[maint] docs: add notes', [`${S}/active/${ACTIVE}/SESSION.md`]);
    // Without the replace ref the hub refuses it (the baseline).
    expect(gitTry(repo.dir, ['push', '-q', '--no-verify', 'origin', `${bad}:refs/heads/main`]).status).not.toBe(0);
    // The replace ref: git on the hub would read `benign` wherever it reads `bad`.
    const replaced = gitTry(repo.dir, ['push', '-q', '--no-verify', 'origin', `${benign}:refs/replace/${bad}`]);
    const pushed = gitTry(repo.dir, ['push', '--no-verify', 'origin', `${bad}:refs/heads/main`]);
    expect(replaced.status, replaced.stderr).toBe(0);
    expect(pushed.status).not.toBe(0);
    expect(pushed.stderr).toContain('[session-md-readonly]');
    expect(git(hub, 'rev-parse', 'main').trim()).toBe(old);
    // check --range in a mirror clone (which fetches refs/replace/*) judges the real commit too.
    const mirror = join(tempDir('as-mirror-'), 'work');
    git(tempDir(), 'clone', '-q', repo.dir, mirror);
    git(mirror, 'fetch', '-q', repo.dir, `+${benign}:refs/replace/${bad}`, `${bad}:refs/heads/bad`);
    expect(git(mirror, 'rev-parse', `${bad}^{tree}`).trim()).toBe(git(mirror, 'rev-parse', `${benign}^{tree}`).trim()); // git reads the twin
    const checked = runCli(mirror, ['check', '--range', `${old}..${bad}`, '--json']);
    expect(checked.code, checked.stdout + checked.stderr).toBe(1);
    expect(JSON.stringify(checked.json?.violations ?? [])).toContain('session-md-readonly');
  });
});
