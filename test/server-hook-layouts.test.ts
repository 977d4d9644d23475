// install-server-hook on the hook layouts real servers use, each simulated the way that server
// runs hooks: gitolite (the repository's hooks are links into gitolite's own folders; ours is
// a repo-specific hook), GitLab self-managed (Gitaly runs custom_hooks/pre-receive.d/*),
// Gitea/Forgejo (hooks/pre-receive.d/*). In each, a bad push is refused by our hook, a good one
// lands. And a hub owned by another user gets git's own "dubious ownership" and a fix that works.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIVE, alice, BAD_CASES, cleanHistory, work } from './helpers/history.ts';
import { git, gitTry, makeRepo, repoAt, runCli, tempDir, type Repo } from './helpers/repo.ts';

let seed: Repo;

/** A `.d` dispatcher like Gitaly's and Gitea's: runs every executable file in `dir` with the push on stdin. */
const DISPATCHER = (dir: string) => `#!/bin/sh
input=$(cat)
for hook in "${dir}"/*; do
  [ -x "$hook" ] || continue
  printf '%s\\n' "$input" | "$hook" "$@" || exit 1
done
exit 0
`;

function bareCopy(): string {
  const hub = join(tempDir('as-layout-'), 'hub.git');
  git(tempDir(), 'clone', '-q', '--bare', seed.dir, hub);
  return hub;
}

function expectJudged(hub: string): void {
  const dir = join(tempDir('as-pusher-'), 'work');
  git(tempDir(), 'clone', '-q', `file://${hub}`, dir);
  const repo = repoAt(dir);
  const before = git(hub, 'rev-parse', 'main').trim();
  const bad = BAD_CASES[0]!;
  const sha = bad.make(repo);
  const refused = gitTry(dir, ['push', '--no-verify', 'origin', 'HEAD:refs/heads/main']);
  expect(refused.status, refused.stderr).not.toBe(0);
  expect(refused.stderr).toContain(`[${bad.rule}]`);
  expect(refused.stderr).toContain(sha.slice(0, 12));
  expect(git(hub, 'rev-parse', 'main').trim()).toBe(before);
  repo.git('reset', '-q', '--hard', 'origin/main');
  const good = work(repo, ACTIVE, alice);
  const accepted = gitTry(dir, ['push', '--no-verify', 'origin', 'HEAD:refs/heads/main']);
  expect(accepted.status, accepted.stderr).toBe(0);
  expect(git(hub, 'rev-parse', 'main').trim()).toBe(good);
}

beforeAll(() => {
  seed = makeRepo();
  cleanHistory(seed);
}, 60_000);

describe('install-server-hook layouts', () => {
  it('gitolite: refuses its linked hook with a fix naming --layout gitolite; the repo-specific hook judges pushes', () => {
    const hub = bareCopy();
    const home = tempDir('as-gitolite-home-');
    // gitolite's own hook, linked into the repository as gitolite does.
    const gitoliteHooks = join(home, '.gitolite', 'hooks', 'common');
    mkdirSync(gitoliteHooks, { recursive: true });
    writeFileSync(join(gitoliteHooks, 'pre-receive'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    symlinkSync(join(gitoliteHooks, 'pre-receive'), join(hub, 'hooks', 'pre-receive'));

    const refused = runCli(tempDir(), ['install-server-hook', hub, '--json'], { env: { HOME: home } });
    expect(refused.code).toBe(1);
    expect(refused.json?.error?.code).toBe('hook-exists');
    const fix: string = refused.json?.error?.fix;
    expect(fix).toMatch(/--layout gitolite$/);

    // The fix, as printed (its words after the program name).
    const args = fix.replace(/^agent-sessions /, '').split(' ').map((a) => a.replace(/^'(.*)'$/, '$1'));
    const installed = runCli(tempDir(), [...args, '--json'], { env: { HOME: home } });
    expect(installed.code, installed.stderr).toBe(0);
    const hook = join(home, '.gitolite', 'local', 'hooks', 'repo-specific', 'agent-sessions-pre-receive');
    expect(installed.json.hook).toBe(hook);
    expect(installed.json.next).toMatch(/option hook\.pre-receive = agent-sessions-pre-receive/);

    // gitolite, told by gitolite.conf, links the repository's pre-receive to the repo-specific hook.
    rmSync(join(hub, 'hooks', 'pre-receive'));
    symlinkSync(hook, join(hub, 'hooks', 'pre-receive'));
    expectJudged(hub);
  });

  it('gitlab: writes custom_hooks/pre-receive.d/agent-sessions, the runner outside the .d folder', () => {
    const hub = bareCopy();
    const installed = runCli(tempDir(), ['install-server-hook', hub, '--layout', 'gitlab', '--json']);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.json.hook).toBe(join(hub, 'custom_hooks', 'pre-receive.d', 'agent-sessions'));
    expect(installed.json.runner).toBe(join(hub, 'custom_hooks', 'agent-sessions-hook.cjs'));
    expect(statSync(installed.json.runner).mode & 0o111).toBe(0);
    writeFileSync(join(hub, 'hooks', 'pre-receive'), DISPATCHER(join(hub, 'custom_hooks', 'pre-receive.d')), { mode: 0o755 });
    expectJudged(hub);
  });

  it('gitea: writes hooks/pre-receive.d/agent-sessions beside the hooks Gitea keeps there', () => {
    const hub = bareCopy();
    const gitea = join(hub, 'hooks', 'pre-receive.d');
    mkdirSync(gitea, { recursive: true });
    writeFileSync(join(gitea, 'gitea'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const installed = runCli(tempDir(), ['install-server-hook', hub, '--layout', 'gitea', '--json']);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.json.hook).toBe(join(gitea, 'agent-sessions'));
    expect(existsSync(join(gitea, 'gitea'))).toBe(true);
    writeFileSync(join(hub, 'hooks', 'pre-receive'), DISPATCHER(gitea), { mode: 0o755 });
    expectJudged(hub);
  });

  it('an unknown layout is a usage error listing the known ones', () => {
    const result = runCli(tempDir(), ['install-server-hook', bareCopy(), '--layout', 'svn']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/plain, gitlab, gitea, gitolite/);
  });

  it.runIf(process.getuid?.() === 0)('a hub owned by another user: "dubious ownership" with a fix that works when copied', () => {
    const hub = bareCopy();
    execFileSync('chown', ['-R', 'nobody', hub]);
    const refused = runCli(tempDir(), ['install-server-hook', hub, '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json?.error?.code).toBe('dubious-ownership');
    const fix: string = refused.json?.error?.fix;
    const command = fix.slice(fix.indexOf('git config'));
    execFileSync('sh', ['-c', command]);
    const installed = runCli(tempDir(), ['install-server-hook', hub]);
    expect(installed.code, installed.stderr).toBe(0);
    chmodSync(hub, 0o755);
  });
});
