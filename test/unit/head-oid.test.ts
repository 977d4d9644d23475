// HEAD read from the file system as git reads it (loose ref, packed ref, detached), checked
// against git's own rev-parse on a real repository. Not in the mutation run (it spawns git).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headOid } from '../../src/engine/staged-cache.ts';
import { git, makeRepo } from '../helpers/repo.ts';

describe('headOid', () => {
  it('reads loose and packed refs like git', () => {
    const repo = makeRepo({ init: false, link: false });
    const gitDir = join(repo.dir, '.git');
    const want = git(repo.dir, 'rev-parse', 'HEAD').trim();
    expect(headOid(gitDir, gitDir)).toBe(want);
    git(repo.dir, 'pack-refs', '--all');
    expect(headOid(gitDir, gitDir)).toBe(want);
    git(repo.dir, 'checkout', '-q', '--detach');
    expect(headOid(gitDir, gitDir)).toBe(want);
  });
});
