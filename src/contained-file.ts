// A file this package writes into a checkout must stay inside it: repository content (a
// symlinked folder or file pushed by anyone) must never redirect our write elsewhere.
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, relative, sep, isAbsolute } from 'node:path';
import { RefusedError } from './errors.ts';

/** Throws unless `file` is a regular file or absent, in a folder whose real path is inside `root`. */
export function assertContainedFile(root: string, file: string): void {
  let stat;
  try {
    stat = lstatSync(file);
  } catch {
    stat = undefined;
  }
  const refuse = (why: string) =>
    new RefusedError('unsafe-path', `${file} ${why}; nothing was written`, {
      fix: `replace it with a plain file (or remove it) inside ${root}, then run the command again`,
    });
  if (stat && !stat.isFile()) throw refuse(stat.isSymbolicLink() ? 'is a symbolic link' : 'is not a plain file');
  let inside: string;
  try {
    inside = relative(realpathSync(root), realpathSync(dirname(file)));
  } catch {
    throw refuse('has a folder that cannot be resolved');
  }
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) throw refuse('lies outside the repository (through a symbolic link)');
}
