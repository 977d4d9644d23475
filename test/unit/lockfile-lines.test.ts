// sessions.lock refusals word for word: the line number counts blank lines, the found text is
// quoted and cut at 120 characters, the file name defaults to sessions.lock, and a line with
// surrounding white space or CR is still read.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { LockFileError, MAX_LOCK_FILE_BYTES, parseLockFile } from '../../src/lockfile.ts';

function refusal(text: string, file?: string): LockFileError {
  try {
    parseLockFile(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(LockFileError);
    return err as LockFileError;
  }
  throw new Error('expected a refusal');
}

describe('lock file lines', () => {
  it('reads lines with surrounding white space, a CR, a BOM, and skips blank ones', () => {
    expect(parseLockFile('\uFEFF\n  2025-10-14-a:1  \r\n\t\n2025-10-14-b:012\r')).toEqual([
      { slug: '2025-10-14-a', claimedAt: 1 },
      { slug: '2025-10-14-b', claimedAt: 12 },
    ]);
    expect(parseLockFile('2025-10-14-a:999999999999')).toEqual([{ slug: '2025-10-14-a', claimedAt: 999_999_999_999 }]);
  });

  it('names the file, the line (blank lines counted) and what was found, with the fix', () => {
    const err = refusal('\n\n2025-10-14-a 1\n');
    expect(err.line).toBe(3);
    expect(err.code).toBe('bad-lock-file');
    expect(err.message).toBe('sessions.lock line 3: expected <slug>:<unix-seconds>, found "2025-10-14-a 1"');
    expect(err.fix).toBe('repair line 3 of sessions.lock: each line must be <slug>:<unix-seconds> for a session in active/');
    expect(err.data).toEqual({ line: 3 });
    expect(refusal('x', '_AGENTS/sessions/sessions.lock').message).toBe('_AGENTS/sessions/sessions.lock line 1: expected <slug>:<unix-seconds>, found "x"');
  });

  it('cuts what it quotes at 120 characters', () => {
    const long = `${'y'.repeat(130)}`;
    expect(refusal(long).message).toBe(`sessions.lock line 1: expected <slug>:<unix-seconds>, found "${'y'.repeat(120)}"`);
  });

  it('refuses a well-formed line whose slug is not a slug, with the slug problem', () => {
    expect(refusal('2025-10-14-a:1\n2025-02-30-x:2').message).toBe('sessions.lock line 2: 2025-02-30 is not a real calendar date');
    expect(refusal('2025-10-14-a:1234567890123').message).toMatch(/^sessions\.lock line 1: expected/);
    expect(refusal('a:b:1').line).toBe(1);
  });
});

describe('what the refusal quotes', () => {
  it('is the line without the BOM and without the CR', () => {
    expect(refusal('\uFEFFbad line\r\n').message).toBe('sessions.lock line 1: expected <slug>:<unix-seconds>, found "bad line"');
    expect(refusal('2025-10-14-a:1\r\nbad\r\n').message).toBe('sessions.lock line 2: expected <slug>:<unix-seconds>, found "bad"');
  });
});

describe('lock file size bound', () => {
  const tooLarge = (file?: string) => {
    try {
      parseLockFile('x'.repeat(MAX_LOCK_FILE_BYTES + 1), file);
    } catch (err) {
      return err as UsageError;
    }
    throw new Error('expected a refusal');
  };

  it('refuses one character over the bound before reading a line, naming the file and the fix', () => {
    const err = tooLarge('hub:sessions.lock');
    expect(err).toBeInstanceOf(UsageError);
    expect(err).not.toBeInstanceOf(LockFileError);
    expect(err.code).toBe('file-too-large');
    expect(err.message).toBe(`hub:sessions.lock holds ${MAX_LOCK_FILE_BYTES + 1} characters, more than the 1048576 bytes agent-sessions reads`);
    expect(err.fix).toBe('restore hub:sessions.lock to one <slug>:<unix-seconds> line per active session (git checkout -- hub:sessions.lock)');
    expect(err.data).toEqual({ path: 'hub:sessions.lock', limit: 1048576 });
    expect(tooLarge().message).toMatch(/^sessions\.lock holds /);
  });

  it('reads a file of exactly the bound', () => {
    expect(parseLockFile(`2025-10-14-a:1${'\n'.repeat(MAX_LOCK_FILE_BYTES - 14)}`)).toEqual([{ slug: '2025-10-14-a', claimedAt: 1 }]);
  });
});
