// Message forms and header problems, exactly: every merge form git and the forges write (and
// near-misses that are not merges), revert/reapply, autosquash, OVERRIDE, the prefix with and
// without a space, blank and BOM lead-ins; the suggested header in each case; and each
// commitlint problem with commitlint's wording.
import { describe, expect, it } from 'vitest';
import { DEFAULT_COMMIT_TYPES } from '../../src/config.ts';
import { lintMessage } from '../../src/message/commitlint.ts';
import { classifyMessage, headerOf, slugPrefixOf, suggestHeader } from '../../src/message/header.ts';

describe('classifyMessage', () => {
  it.each([
    "Merge branch 'main' into x",
    'Merge branches a and b',
    "Merge remote-tracking branch 'origin/main'",
    "Merge tag 'v1'",
    'Merge pull request #1 from a/b',
    'Merge commit abc',
    "Merge 'x'",
    'Merge "x"',
    'Merged PR 12: feat: x',
    'Merged feature into main',
    'Merged feature in main',
    'Automatic merge from x',
    'Auto-merged file.txt',
  ])('%j is a merge', (header) => {
    expect(classifyMessage(`${header}\n\nbody`)).toEqual({ form: 'merge', header });
  });

  it.each(['Merge', 'Merged', 'Mergeable things', 'Merged PR x', 'Merge x', 'Automatic', 'merge branch x', 'Merged  into'])('%j is not a merge', (header) => {
    expect(classifyMessage(header).form).toBe('unprefixed');
  });

  it('reads revert, reapply, autosquash, OVERRIDE and prefixed forms', () => {
    expect(classifyMessage('Reapply "[s] feat: x"')).toEqual({ form: 'revert', header: 'Reapply "[s] feat: x"', reverted: '[s] feat: x' });
    expect(classifyMessage('Revert x').form).toBe('unprefixed');
    expect(classifyMessage('squash! [s] feat: x')).toEqual({ form: 'autosquash', kind: 'squash', header: 'squash! [s] feat: x', target: '[s] feat: x' });
    expect(classifyMessage('amend! y')).toMatchObject({ kind: 'amend', target: 'y' });
    expect(classifyMessage('fixup!y').form).toBe('unprefixed');
    expect(classifyMessage('[s] OVERRIDE:   why not   ')).toEqual({ form: 'override', prefix: 's', reason: 'why not', header: '[s] OVERRIDE:   why not   ' });
    expect(classifyMessage('[s] OVERRIDE:')).toMatchObject({ form: 'override', reason: '' });
    expect(classifyMessage('[s] override: x')).toMatchObject({ form: 'prefixed', rest: 'override: x' });
    expect(classifyMessage('[s]feat: x')).toEqual({ form: 'prefixed', prefix: 's', rest: 'feat: x', header: '[s]feat: x' });
    expect(classifyMessage('[] x')).toMatchObject({ form: 'prefixed', prefix: '', rest: 'x' });
    expect(classifyMessage(' [s] x').form).toBe('unprefixed');
  });

  it('skips a BOM and blank lines before the header; blank is empty', () => {
    expect(classifyMessage('\uFEFF\n \n\t\n[s] feat: x\nbody')).toEqual({ form: 'prefixed', prefix: 's', rest: 'feat: x', header: '[s] feat: x' });
    expect(classifyMessage('\uFEFF')).toEqual({ form: 'empty' });
    expect(classifyMessage('\n\n')).toEqual({ form: 'empty' });
    expect(classifyMessage('x\r\ny')).toEqual({ form: 'unprefixed', header: 'x' });
  });

  it('answers the same message the same way twice, and a new one anew', () => {
    const first = classifyMessage('[a] feat: x');
    expect(classifyMessage('[a] feat: x')).toBe(first);
    expect(classifyMessage('[b] feat: x')).toMatchObject({ prefix: 'b' });
    expect(classifyMessage('[a] feat: x')).toEqual(first);
  });

  it('headerOf is the first line without its CR', () => {
    expect(headerOf('a\r\nb')).toBe('a');
    expect(headerOf('only')).toBe('only');
    expect(headerOf('')).toBe('');
    expect(headerOf('a\rb\r')).toBe('a\rb');
    expect(headerOf('\r')).toBe('');
  });

  it("reads a header that starts with '[' as prefixed or not, like any other header", () => {
    expect(classifyMessage('[s] Merge branch x')).toEqual({ form: 'prefixed', prefix: 's', rest: 'Merge branch x', header: '[s] Merge branch x' });
    expect(classifyMessage('[s] feat: x\r\n\r\nbody')).toEqual({ form: 'prefixed', prefix: 's', rest: 'feat: x', header: '[s] feat: x' });
    expect(classifyMessage('[s feat: x')).toEqual({ form: 'unprefixed', header: '[s feat: x' });
    expect(classifyMessage('[s] a\u2028b')).toEqual({ form: 'unprefixed', header: '[s] a\u2028b' });
  });
});

describe('slugPrefixOf', () => {
  it.each([
    ['[2025-01-02-a] feat: x', '2025-01-02-a'],
    ['[maint] chore: x\nbody', 'maint'],
    ['[x]', 'x'],
    ['[x]y', 'x'],
    ['[a b] feat: x', undefined],
    ['[a\tb] x', undefined],
    ['[] x', undefined],
    [' [x] y', undefined],
    ['\uFEFF[x] y', undefined],
    ['\n[x] y', undefined],
    ['x [y] z', undefined],
    ['[x', undefined],
    ['', undefined],
  ])('%j -> %j', (message, prefix) => {
    expect(slugPrefixOf(message)).toBe(prefix);
  });

  it('answers each message anew after another one, and the same twice', () => {
    expect(slugPrefixOf('[a] x')).toBe('a');
    expect(slugPrefixOf('[a] x')).toBe('a');
    expect(slugPrefixOf('no prefix')).toBeUndefined();
    expect(slugPrefixOf('no prefix')).toBeUndefined();
    expect(slugPrefixOf('[b] x')).toBe('b');
  });
});

describe('suggestHeader', () => {
  const types = DEFAULT_COMMIT_TYPES;
  it.each([
    ['Add login form', '[s] chore: add login form'],
    ['API change', '[s] chore: API change'],
    ['A', '[s] chore: A'],
    ['   ', '[s] chore: describe the change'],
    ['', '[s] chore: describe the change'],
    ['Feat(api)!: Drop v1', '[s] feat(api)!: Drop v1'],
    ['wip: half', '[s] chore: half'],
    ['fix:', '[s] fix: describe the change'],
    ['[other] docs:   spaced', '[s] docs: spaced'],
    ['squash! [x] feat: y', '[s] feat: y'],
    ['fixup! plain words', '[s] chore: plain words'],
    ['Revert "plain"', '[s] revert: plain'],
    ['[z] Revert "[y] fix: q"', '[s] revert: fix: q'],
  ])('%j -> %j', (header, want) => {
    expect(suggestHeader('s', header, types)).toBe(want);
  });

  it('falls back to the first configured type when chore is not one', () => {
    expect(suggestHeader('s', 'words', ['wip', 'done'])).toBe('[s] wip: words');
    expect(suggestHeader('s', 'feat: x', ['wip', 'done'])).toBe('[s] wip: x');
    expect(suggestHeader('s', 'done: x', ['wip', 'done'])).toBe('[s] done: x');
  });
});

describe('lintMessage problems, in commitlint wording', () => {
  const settings = { types: ['feat', 'fix'], headerMaxLength: 30 };
  const lint = async (m: string) => lintMessage(m, settings);
  it('names each problem', async () => {
    expect(await lint('[s] feat: ok\nbody')).toEqual([]);
    expect(await lint('[s] Feat: x')).toEqual([
      { name: 'type-case', message: 'type must be lower-case' },
      { name: 'type-enum', message: 'type must be one of [feat, fix]' },
    ]);
    expect(await lint('[s] docs: x')).toEqual([{ name: 'type-enum', message: 'type must be one of [feat, fix]' }]);
    expect(await lint('[s] feat: x ')).toEqual([{ name: 'header-trim', message: 'header must not be surrounded by whitespace' }]);
    expect(await lint('no grammar')).toEqual([
      { name: 'type-empty', message: 'type may not be empty' },
      { name: 'subject-empty', message: 'subject may not be empty' },
    ]);
    expect(await lint('[s] feat: 123456789012345678901')).toEqual([{ name: 'header-max-length', message: 'header must not be longer than 30 characters, current length is 31' }]);
    expect(await lint('[s] feat: 12345678901234567890')).toEqual([]);
    // Exactly the limit with another problem: that problem alone (such a header is read by the
    // parser, not the clean-header shortcut, so the length check itself is what is tested here).
    expect(await lint('[s] docs: 12345678901234567890')).toEqual([{ name: 'type-enum', message: 'type must be one of [feat, fix]' }]);
    expect(await lint('  \nfeat: x')).toEqual([
      { name: 'header-trim', message: 'header must not be surrounded by whitespace' },
      { name: 'type-empty', message: 'type may not be empty' },
      { name: 'subject-empty', message: 'subject may not be empty' },
    ]);
    expect(await lint('')).toEqual([
      { name: 'type-empty', message: 'type may not be empty' },
      { name: 'subject-empty', message: 'subject may not be empty' },
    ]);
  });
});

describe('edges the mutation run found', () => {
  it('headerOf drops only a final CR; a BOM inside the header stays', () => {
    expect(headerOf('a\rb')).toBe('a\rb');
    expect(classifyMessage('[s] a\uFEFFb')).toMatchObject({ form: 'prefixed', rest: 'a\uFEFFb' });
  });

  it('suggestHeader reads a type only at the start, trims, and lowers only a leading capital', () => {
    const types = DEFAULT_COMMIT_TYPES;
    expect(suggestHeader('s', 'see feat: y', types)).toBe('[s] chore: see feat: y');
    expect(suggestHeader('s', '  Add x', types)).toBe('[s] chore: add x');
    expect(suggestHeader('s', 'fix the Login', types)).toBe('[s] chore: fix the Login');
  });

  it('a subject of white space only is empty', async () => {
    expect(await lintMessage('[s] feat:  \u00a0 ', { types: ['feat'], headerMaxLength: 100 })).toEqual([
      { name: 'header-trim', message: 'header must not be surrounded by whitespace' },
      { name: 'subject-empty', message: 'subject may not be empty' },
    ]);
  });
});
