// The git:// fixture itself: a daemon on 127.0.0.1 that accepts pushes and dies by its PID.
import { afterAll, describe, expect, it } from 'vitest';
import { startDaemon, type GitDaemon } from './helpers/daemon.js';
import { git, gitTry, makeHub, makeRepo, tempDir } from './helpers/repo.js';
import { join } from 'node:path';

describe('git daemon fixture', () => {
  let daemon: GitDaemon | undefined;
  afterAll(async () => daemon?.stop());

  it('serves a hub over git:// with push enabled and stops by PID', async () => {
    const repo = makeRepo({ init: false, link: false });
    const hub = makeHub(repo);
    daemon = await startDaemon(hub);
    expect(daemon.url).toMatch(/^git:\/\/127\.0\.0\.1:\d+\/hub\.git$/);
    const clone = join(tempDir(), 'c');
    git(tempDir(), 'clone', '-q', daemon.url, clone);
    git(clone, 'commit', '-q', '--allow-empty', '--no-verify', '-m', 'over the wire');
    git(clone, 'push', '-q', '--no-verify', 'origin', 'main');
    expect(git(hub, 'log', '-1', '--format=%s', 'main').trim()).toBe('over the wire');
    await daemon.stop();
    expect(gitTry(clone, ['ls-remote', daemon.url]).status).not.toBe(0);
    daemon = undefined;
  });
});
