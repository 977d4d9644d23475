import { describe, expect, it } from 'vitest';
import { addLockEntry, LockFileError, parseLockFile, removeLockEntry, serializeLockFile } from '../../src/lockfile.ts';

describe('sessions.lock', () => {
  it('parses lines, tolerating CRLF, blank lines, a BOM and no final newline', () => {
    const text = '\uFEFF2025-10-14-a:1700000000\r\n\r\n  \n2025-10-14-b:1700000001';
    expect(parseLockFile(text)).toEqual([
      { slug: '2025-10-14-a', claimedAt: 1700000000 },
      { slug: '2025-10-14-b', claimedAt: 1700000001 },
    ]);
  });

  it('parses an empty file as no entries', () => {
    expect(parseLockFile('')).toEqual([]);
    expect(parseLockFile('\n\n')).toEqual([]);
  });

  it.each([
    ['2025-10-14-a:1\nnot a line\n', 2],
    ['2025-10-14-a\n', 1],
    ['\n\n2025-10-14-a:12x\n', 3],
    ['../x:1\n', 1],
    ['2025-10-14-a:1:2\n', 1],
    ['2025-10-14-a: 1\n', 1],
    ['2025-02-30-a:1\n', 1],
  ])('names the malformed line in %j', (text, line) => {
    try {
      parseLockFile(text);
      expect.unreachable('should have thrown');
    } catch (err) {
      expect(err).toBeInstanceOf(LockFileError);
      expect((err as LockFileError).line).toBe(line);
      expect((err as LockFileError).message).toContain(`line ${line}`);
      expect((err as LockFileError).exitCode).toBe(2);
    }
  });

  it('round-trips', () => {
    const entries = [
      { slug: '2025-10-14-a', claimedAt: 1 },
      { slug: 'kb-2025-10-14-b', claimedAt: 2 },
    ];
    expect(parseLockFile(serializeLockFile(entries))).toEqual(entries);
    expect(serializeLockFile([])).toBe('');
    expect(serializeLockFile(entries)).toBe('2025-10-14-a:1\nkb-2025-10-14-b:2\n');
  });

  it('adds and removes without duplicates', () => {
    const one = addLockEntry([], { slug: '2025-10-14-a', claimedAt: 1 });
    const again = addLockEntry(one, { slug: '2025-10-14-a', claimedAt: 5 });
    expect(again).toEqual([{ slug: '2025-10-14-a', claimedAt: 5 }]);
    expect(removeLockEntry(again, '2025-10-14-a')).toEqual([]);
  });
});
