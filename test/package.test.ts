// The packed tarball, installed into a fresh repo the way a user adopts it.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync as readFile, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, gitTry, PROJECT_ROOT, snapshotTree, tempDir } from './helpers/repo.ts';
import { npmEnv } from './helpers/child-env.ts';

describe('npm pack → npm i -D → npx agent-sessions init', () => {
  it('installs a working bin, five husky hooks that run the runner, and a second init changes no byte', () => {
    const packDir = tempDir('as-pack-');
    // --ignore-scripts: dist/ is already built by `npm test`; a clean rebuild here would pull
    // dist/ from under tests running in parallel.
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], { cwd: PROJECT_ROOT, stdio: 'ignore', env: npmEnv() });
    const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz'))!;
    const listing = execFileSync('tar', ['-tzf', join(packDir, tarball)], { encoding: 'utf8' });
    for (const path of ['package/dist/cli.js', 'package/dist/hook.cjs', 'package/dist/hook-loader.cjs', 'package/hooks/run.sh', 'package/templates/SESSION.md.j2', 'package/rules/index.ts']) {
      expect(listing).toContain(path);
    }
    expect(listing).not.toContain('package/test/');

    const repo = tempDir('as-adopter-');
    git(repo, 'init', '-q', '-b', 'main');
    execFileSync('npm', ['init', '-y'], { cwd: repo, stdio: 'ignore', env: npmEnv() });
    const install = spawnSync('npm', ['i', '-D', '--prefer-offline', '--no-audit', '--no-fund', join(packDir, tarball)], { cwd: repo, encoding: 'utf8', env: npmEnv() });
    expect(install.status, install.stderr).toBe(0);
    const init = spawnSync('npx', ['--no-install', 'agent-sessions', 'init'], { cwd: repo, encoding: 'utf8' });
    expect(init.status, init.stderr).toBe(0);
    for (const hook of ['commit-msg', 'pre-commit', 'prepare-commit-msg', 'pre-push', 'post-checkout']) {
      expect(readFile(join(repo, '.husky', hook), 'utf8')).toContain('node_modules/agent-sessions');
    }
    writeFileSync(join(repo, '.gitignore'), 'node_modules/\n.worktrees/\n.sessions/\n');
    git(repo, 'add', '.gitignore');
    const commit = gitTry(repo, ['commit', '-q', '-m', '[maint] chore: start'], { AGENT_SESSIONS_DEBUG: '1' });
    expect(commit.status, commit.stderr).toBe(0);
    expect(commit.stderr).toContain('agent-sessions[debug]: commit-msg hook runner started');

    const statusBefore = git(repo, 'status', '--porcelain');
    const before = snapshotTree(repo);
    const again = spawnSync('npx', ['--no-install', 'agent-sessions', 'init'], { cwd: repo, encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(snapshotTree(repo)).toEqual(before);
    expect(git(repo, 'status', '--porcelain')).toBe(statusBefore);
  }, 240_000);
});
