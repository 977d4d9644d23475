// safe-fs: no write, chmod, rename or removal follows a symlink (the file itself or any folder
// above it below the root) or leaves the root; plain paths work as fs does.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBounded, safeChmod, safeMkdir, safeRemove, safeRename, safeWriteFile } from '../../src/safe-fs.ts';
import { tempDir } from '../helpers/repo.ts';

function setup() {
  const root = tempDir('as-safefs-');
  const outside = tempDir('as-safefs-outside-');
  const secret = join(outside, 'secret');
  writeFileSync(secret, 'SECRET\n', { mode: 0o600 });
  chmodSync(secret, 0o600);
  mkdirSync(join(root, 'a'));
  symlinkSync(secret, join(root, 'a', 'file-link'));
  symlinkSync(outside, join(root, 'dir-link'));
  return { root, outside, secret };
}

const untouched = (t: ReturnType<typeof setup>) => {
  expect(readFileSync(t.secret, 'utf8')).toBe('SECRET\n');
  expect(statSync(t.secret).mode & 0o777).toBe(0o600);
  expect(readdirSync(t.outside)).toEqual(['secret']);
};

describe('safe-fs refuses links and paths outside the root', () => {
  it.each([
    ['write through a file link', (t: ReturnType<typeof setup>) => safeWriteFile(t.root, 'a/file-link', 'x')],
    ['append through a file link', (t: ReturnType<typeof setup>) => safeWriteFile(t.root, 'a/file-link', 'x', { append: true })],
    ['write below a folder link', (t: ReturnType<typeof setup>) => safeWriteFile(t.root, 'dir-link/new', 'x')],
    ['mkdir below a folder link', (t: ReturnType<typeof setup>) => safeMkdir(t.root, 'dir-link/sub/deeper')],
    ['chmod through a file link', (t: ReturnType<typeof setup>) => safeChmod(t.root, 'a/file-link', 0o444)],
    ['chmod below a folder link', (t: ReturnType<typeof setup>) => safeChmod(t.root, 'dir-link/secret', 0o444)],
    ['rename into a folder link', (t: ReturnType<typeof setup>) => (writeFileSync(join(t.root, 'a', 'f'), 'f'), safeRename(t.root, 'a/f', 'dir-link/f'))],
    ['remove below a folder link', (t: ReturnType<typeof setup>) => safeRemove(t.root, join(t.root, 'dir-link', 'secret'))],
  ])('refuses to %s (exit 2, naming the link)', (_name, act) => {
    const t = setup();
    expect(() => act(t)).toThrow(/is a symbolic link/);
    untouched(t);
  });

  it('refuses a path outside the root', () => {
    const t = setup();
    expect(() => safeWriteFile(t.root, join(t.outside, 'x'), 'x')).toThrow(/outside/);
    expect(() => safeWriteFile(t.root, '../x', 'x')).toThrow(/outside/);
    untouched(t);
  });
});

describe('safe-fs does what fs does on plain paths', () => {
  it('writes (creating folders), appends, keeps an existing mode, chmods, renames and removes', () => {
    const { root } = setup();
    safeWriteFile(root, 'x/y/z.txt', 'one\n', { mode: 0o600 });
    safeWriteFile(root, 'x/y/z.txt', 'two\n', { append: true });
    expect(readFileSync(join(root, 'x/y/z.txt'), 'utf8')).toBe('one\ntwo\n');
    expect(statSync(join(root, 'x/y/z.txt')).mode & 0o777).toBe(0o600);
    expect(safeChmod(root, 'x/y/z.txt', 0o444)).toBe(true);
    expect(safeChmod(root, 'x/y/z.txt', 0o444)).toBe(false);
    expect(safeChmod(root, 'x/y/missing', 0o444)).toBe(false);
    safeRename(root, 'x/y', 'w/v');
    expect(existsSync(join(root, 'w/v/z.txt'))).toBe(true);
    safeRemove(root, 'w');
    expect(existsSync(join(root, 'w'))).toBe(false);
  });

  it('removes a link itself (never its target)', () => {
    const t = setup();
    safeRemove(t.root, 'dir-link');
    expect(existsSync(join(t.root, 'dir-link'))).toBe(false);
    untouched(t);
  });

  it('reads bounded: a larger file is refused from its size, a missing one is undefined', () => {
    const { root } = setup();
    writeFileSync(join(root, 'big'), 'x'.repeat(101));
    expect(() => readBounded(join(root, 'big'), 100, (size) => new Error(`too big: ${size}`))).toThrow('too big: 101');
    expect(readBounded(join(root, 'big'), 101, () => new Error('no'))).toHaveLength(101);
    expect(readBounded(join(root, 'none'), 100, () => new Error('no'))).toBeUndefined();
    expect(() => readBounded(join(root, 'a', 'file-link'), 100, () => new Error('no'))).toThrow(/ELOOP/);
  });
});
