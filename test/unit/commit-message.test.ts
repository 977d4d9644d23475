// Pure pieces of the commit-time path: message cleanup as git does it, header forms and
// suggested fixes, `git diff --raw -z` parsing (HEAD from the file system: head-oid.test.ts).
import { describe, expect, it } from 'vitest';
import { parseRawDiff } from '../../src/engine/facts-commit.ts';
import { cleanMessage } from '../../src/message/clean.ts';
import { classifyMessage, suggestHeader } from '../../src/message/header.ts';
import { DEFAULT_COMMIT_TYPES } from '../../src/config.ts';

describe('cleanMessage', () => {
  const cases: [string, string, string?][] = [
    ['[s] feat: x\n', '[s] feat: x'],
    ['\uFEFF[s] feat: x\r\n\r\nbody\r\n', '[s] feat: x\n\nbody'],
    ['[s] feat: x\n# Please enter the commit message\n#\n', '[s] feat: x'],
    ['[s] feat: x\n\n\n\nbody   \n\n\n', '[s] feat: x\n\nbody'],
    ['\n\n[s] feat: x', '[s] feat: x'],
    ['[s] feat: x\n# ------------------------ >8 ------------------------\ndiff --git a b\n+x', '[s] feat: x'],
    ['; c\n[s] feat: x\n# kept\n', '[s] feat: x\n# kept', ';'],
    ['# only comments\n', ''],
    ['[s] feat: x\n\nSigned-off-by: A <a@b>\n', '[s] feat: x\n\nSigned-off-by: A <a@b>'],
  ];
  for (const [raw, want, char] of cases) it(JSON.stringify(raw), () => expect(cleanMessage(raw, char)).toBe(want));
});

describe('classifyMessage and suggestHeader', () => {
  it('recognises git and forge forms', () => {
    expect(classifyMessage("Merge branch 'main' into session/x").form).toBe('merge');
    expect(classifyMessage('Merge pull request #1 from a/b\n\nfeat: x').form).toBe('merge');
    expect(classifyMessage('Merged PR 12: feat: x').form).toBe('merge');
    expect(classifyMessage('Merger of two ideas').form).toBe('unprefixed');
    expect(classifyMessage('Revert "[s] feat: x"\n\nThis reverts commit 1.').form).toBe('revert');
    expect(classifyMessage('Revert ""').form).toBe('revert');
    expect(classifyMessage('fixup! [s] feat: x')).toMatchObject({ form: 'autosquash', kind: 'fixup' });
    expect(classifyMessage('[s] OVERRIDE: because')).toMatchObject({ form: 'override', prefix: 's', reason: 'because' });
    expect(classifyMessage('  \n')).toEqual({ form: 'empty' });
  });
  it('suggests a corrected header', () => {
    expect(suggestHeader('s', 'Add login form', DEFAULT_COMMIT_TYPES)).toBe('[s] chore: add login form');
    expect(suggestHeader('s', 'feat(api): add x', DEFAULT_COMMIT_TYPES)).toBe('[s] feat(api): add x');
    expect(suggestHeader('s', '[other] fix: y', DEFAULT_COMMIT_TYPES)).toBe('[s] fix: y');
    expect(suggestHeader('s', 'Revert "[s] feat: x"', DEFAULT_COMMIT_TYPES)).toBe('[s] revert: feat: x');
  });
});

describe('parseRawDiff', () => {
  it('reads statuses, renames with similarity, and gitlink modes', () => {
    const raw = ':100644 100644 aaa bbb M\0src/a.ts\0:100644 100644 aaa aaa R100\0old.md\0new.md\0:000000 160000 000 ccc A\0.worktrees/x\0';
    expect(parseRawDiff(raw)).toEqual([
      { status: 'M', path: 'src/a.ts', mode: '100644' },
      { status: 'R', from: 'old.md', path: 'new.md', mode: '100644', similarity: 100 },
      { status: 'A', path: '.worktrees/x', mode: '160000' },
    ]);
  });
});
