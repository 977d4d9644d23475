// Every write, chmod, rename and removal the package makes in a repository goes through here.
// Symlinks in a work tree come from whoever can push, so a write must never follow one: each
// component of the path below the repository's root is checked with lstat (a symlinked state
// folder or session folder is refused, not only a symlinked file), files are opened with
// O_NOFOLLOW, and a path that leaves the root is refused. Refusals are exit 2 and name the link.
import { chmodSync, closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { UsageError } from './errors.ts';

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

function shown(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/') || '.';
}

function symlinkRefused(root: string, link: string, target: string): UsageError {
  const rel = shown(root, link);
  return new UsageError('symlink-refused', `${rel} is a symbolic link; agent-sessions does not follow links inside the repository (needed for ${shown(root, target)})`, {
    fix: `replace the link with a real ${rel === shown(root, target) ? 'file' : 'folder'}: git rm --cached -q -- ${rel} && rm ${rel}, commit, and run again`,
    data: { path: rel },
  });
}

/**
 * The absolute path of `target` (absolute, or relative to `root`), after checking that it stays
 * inside `root` and that no existing component below `root` (the target included) is a symlink.
 */
export function checkedPath(root: string, target: string): string {
  const abs = isAbsolute(target) ? target : join(root, target);
  const rel = relative(root, abs);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new UsageError('outside-repository', `refusing to write ${target}: it is outside ${root}`, { fix: 'check the paths in agent-sessions.config.json: every path must stay inside the repository' });
  }
  let current = root;
  for (const part of rel.split(sep)) {
    current = join(current, part);
    let link: boolean;
    try {
      link = lstatSync(current).isSymbolicLink();
    } catch {
      break; // the rest does not exist yet
    }
    if (link) throw symlinkRefused(root, current, abs);
  }
  return abs;
}

/** mkdir -p that creates each missing folder itself and refuses a symlinked one. */
export function safeMkdir(root: string, dir: string): string {
  const abs = isAbsolute(dir) ? dir : join(root, dir);
  if (abs === root) return abs;
  checkedPath(root, abs);
  let current = root;
  for (const part of relative(root, abs).split(sep)) {
    current = join(current, part);
    try {
      mkdirSync(current);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (lstatSync(current).isSymbolicLink()) throw symlinkRefused(root, current, abs);
    }
  }
  return abs;
}

export interface SafeWriteOptions {
  /** Mode of a file this write creates (an existing file keeps its mode, as with writeFileSync). */
  mode?: number;
  append?: boolean;
  /** Fail with EEXIST when the file exists. */
  exclusive?: boolean;
}

/** writeFileSync that creates missing folders safely and never follows a symlink. */
export function safeWriteFile(root: string, file: string, data: string | Uint8Array, options: SafeWriteOptions = {}): void {
  const abs = checkedPath(root, file);
  safeMkdir(root, dirname(abs));
  const flags = constants.O_WRONLY | constants.O_CREAT | NOFOLLOW | NONBLOCK | (options.append ? constants.O_APPEND : constants.O_TRUNC) | (options.exclusive ? constants.O_EXCL : 0);
  let fd: number;
  try {
    fd = openSync(abs, flags, options.mode ?? 0o666);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw symlinkRefused(root, abs, abs);
    throw err;
  }
  try {
    if (!fstatSync(fd).isFile()) throw new UsageError('not-a-file', `refusing to write ${shown(root, abs)}: it is not a plain file`, { fix: `replace ${shown(root, abs)} with a plain file` });
    writeFileSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

/**
 * chmod of a plain file that never follows a symlink (the file or a folder above it).
 * Returns whether the mode changed; a missing file or anything but a plain file is left alone.
 */
export function safeChmod(root: string, file: string, mode: number): boolean {
  const abs = checkedPath(root, file);
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | NOFOLLOW | NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    if (code === 'ELOOP') throw symlinkRefused(root, abs, abs);
    if (code !== 'EACCES') throw err;
    // unreadable (mode 0200 or 0000): checkedPath has just seen that it is no symlink
    const stat = lstatSync(abs);
    if (!stat.isFile() || (stat.mode & 0o777) === mode) return false;
    chmodSync(abs, mode);
    return true;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || (stat.mode & 0o777) === mode) return false;
    fchmodSync(fd, mode);
    return true;
  } finally {
    closeSync(fd);
  }
}

/** rename whose source and destination stay inside `root` with no symlinked folder above them. */
export function safeRename(root: string, from: string, to: string): void {
  const src = checkedPath(root, from);
  const dst = checkedPath(root, to);
  safeMkdir(root, dirname(dst));
  renameSync(src, dst);
}

/** rm -rf of a path inside `root` reached through no symlinked folder (rm never follows the last one). */
export function safeRemove(root: string, target: string): void {
  const abs = isAbsolute(target) ? target : join(root, target);
  const rel = relative(root, abs);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) checkedPath(root, abs); // throws: outside the root
  if (dirname(abs) !== root) checkedPath(root, dirname(abs));
  rmSync(abs, { recursive: true, force: true });
}

/**
 * A file's text, read whole only when it is a plain file of at most `limit` bytes; undefined
 * when it does not exist. A larger file, a FIFO or a device is refused (exit 2) through
 * `tooBig`, so a hostile file can neither exhaust memory nor block the read; a symlink is not
 * followed (the error's code is ELOOP).
 */
export function readBounded(file: string, limit: number, tooBig: (size: number) => Error): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | NOFOLLOW | NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    if (!stat.isFile() || stat.size > limit) throw tooBig(stat.size);
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Larger than any file of a repository agent-sessions reads or edits (hooks, configs, docs). */
export const REPO_TEXT_MAX_BYTES = 16 << 20;

/**
 * A repository file's text for a command that reads (and may then edit) it: reached through no
 * symbolic link (folder or the file itself), a plain file of at most `limit` bytes, or a
 * UsageError that names it and the fix; undefined when it does not exist. Whoever can push
 * decides what such a file is: a link to /dev/zero would hang the command, one to ~/.npmrc
 * would be read (and perhaps printed or copied) from outside.
 */
export function readRepoText(root: string, file: string, limit = REPO_TEXT_MAX_BYTES): string | undefined {
  const abs = checkedPath(root, file);
  try {
    return readBounded(abs, limit, (size) => Object.assign(new Error(size > limit ? 'too large' : 'not a regular file'), { code: size > limit ? 'EFBIG' : 'ENOTREG' }));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const rel = shown(root, abs);
    if (code === 'ELOOP') throw symlinkRefused(root, abs, abs);
    throw new UsageError('unreadable-file', `${rel} cannot be read: ${code === 'EFBIG' ? `larger than ${limit} bytes` : code === 'ENOTREG' ? 'not a regular file' : (code ?? 'error')}`, {
      fix: `make ${rel} a regular file of the repository (git checkout -- ${rel})`,
      data: { path: rel },
    });
  }
}
