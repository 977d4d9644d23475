// The walk's `cat-file --batch` reader (src/engine/cat-file.ts) against a real git: a name it
// cannot answer is one line, whatever the name holds, and the answers after it still line up.
import { describe, expect, it } from 'vitest';
import { CatFile } from '../src/engine/cat-file.ts';
import { makeRepo } from './helpers/repo.ts';

describe('CatFile', () => {
  it('reads a missing name with spaces (or shaped like a header) as missing, and goes on', async () => {
    const repo = makeRepo({ init: false, link: false });
    const readme = repo.git('rev-parse', 'HEAD:README.md').trim();
    const reader = new CatFile(repo.dir);
    try {
      const names = ['HEAD:AI sessions/planned', `HEAD:${readme} blob 12`, 'HEAD:README.md', 'HEAD:no such file'];
      const answers = await reader.read(names, { again: false });
      expect(answers.map((a) => a && { id: a.id, type: a.type, content: a.content.toString('utf8') })).toEqual([
        undefined,
        undefined,
        { id: readme, type: 'blob', content: '# test repo\n' },
        undefined,
      ]);
    } finally {
      reader.close();
    }
  }, 20_000);
});
