// `check` reads the entries under the sessions folder through the walk's own cat-file
// (src/check/tree.ts, layoutEntriesVia) instead of an `ls-tree` process: the two must agree
// on every entry, its path and its type, and the check must still tell a state folder that is
// a file or a submodule from a folder.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layoutEntries, layoutEntriesVia } from '../../src/check/tree.ts';
import { defaultConfig } from '../../src/config.ts';
import { BlobReader } from '../../src/engine/blob-reader.ts';
import { S } from '../helpers/history.ts';
import { makeRepo } from '../helpers/repo.ts';

describe('the layout entries of check', () => {
  it('are what ls-tree lists: names with spaces and other scripts, files, folders and a gitlink', async () => {
    const repo = makeRepo();
    const commitId = repo.git('rev-parse', 'HEAD').trim();
    repo.write(`${S}/notes about it.md`, 'x\n');
    repo.write(`${S}/Résumé/ünïcödé.md`, 'x\n');
    repo.git('rm', '-q', '-r', `${S}/abandoned`);
    rmSync(join(repo.dir, S, 'abandoned'), { recursive: true, force: true });
    repo.write(`${S}/abandoned`, 'a file where a state folder was\n');
    repo.git('add', '-A');
    repo.git('update-index', '--add', '--cacheinfo', `160000,${commitId},${S}/zz-module`);
    repo.git('commit', '-q', '--no-verify', '-m', '[maint] chore: odd entries');
    const config = defaultConfig();
    const blobs = new BlobReader(repo.dir);
    try {
      const via = await layoutEntriesVia(blobs, repo.dir, config, 'HEAD');
      expect(via).toEqual(layoutEntries(repo.dir, config, 'HEAD'));
      expect(via).toContainEqual({ path: `${S}/abandoned`, type: 'blob' });
      expect(via).toContainEqual({ path: `${S}/zz-module`, type: 'commit' });
      expect(via).toContainEqual({ path: `${S}/Résumé`, type: 'tree' });
      expect(via).toContainEqual({ path: `${S}/notes about it.md`, type: 'blob' });
    } finally {
      blobs.close();
    }
    const checked = repo.cli(['check', '--range', 'HEAD~1..HEAD', '--json']);
    expect(checked.json?.violations.map((v: { message: string }) => v.message)).toContain(`state folder ${S}/abandoned is a file or link, not a folder`);
  });

  it("answer as ls-tree does where there is no layout (the check's exit 2)", async () => {
    const repo = makeRepo({ init: false, link: false });
    const blobs = new BlobReader(repo.dir);
    try {
      await expect(layoutEntriesVia(blobs, repo.dir, defaultConfig(), 'HEAD')).rejects.toThrow(/has not adopted agent-sessions/);
    } finally {
      blobs.close();
    }
  });
});
