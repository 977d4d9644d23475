// Objects of main's new tip read ahead, for the hub's synchronous reads after a main update
// (lock times, the policy digest, the pushed config): the pre-receive asks the walk's own
// `cat-file --batch` for the tip's lock file, config and package.json, its root tree and
// every folder down to the sessions folder in one round trip, and those readers take the
// answers from here instead of starting `git ls-tree` or `cat-file` each. Only names of the
// form <commit id>:<path> and object ids are remembered: what they name never changes. An
// object not remembered is read from git, as always.
import { CONFIG_FILE } from '../config-file.ts';
import { PACKAGE_JSON } from './paths.ts';
import { parseTree } from './tree-form.ts';

interface CatFileObject {
  id: string;
  type: string;
  content: Buffer;
}

const byName = new Map<string, CatFileObject | null>();
const blobById = new Map<string, Buffer>();
const treeById = new Map<string, Buffer>();
let remembered = '';

/**
 * What the hub reads of `tip` after the walk: the lock file, the config, package.json, the
 * root tree and every folder on the way to the sessions folder (entryReadAhead walks down
 * from the root, as ls-tree does). Undefined for a path with a line break (one name per line
 * to cat-file; the config's validation refuses such a path anyway).
 */
export function readAheadNames(tip: string, sessionsDir: string, lockPath: string): string[] | undefined {
  const folders = sessionsDir.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  const names = [lockPath, CONFIG_FILE, PACKAGE_JSON, '', ...folders].map((path) => `${tip}:${path}`);
  return names.some((name) => /[\n\r]/.test(name)) ? undefined : names;
}

/** Remembers for `cwd` what cat-file answered for `names` (in order; undefined: missing). */
export function rememberObjects(cwd: string, names: readonly string[], objects: readonly (CatFileObject | undefined)[]): void {
  byName.clear();
  blobById.clear();
  treeById.clear();
  remembered = cwd;
  names.forEach((name, i) => {
    if (!/^[0-9a-f]{40,64}:[^\n\r]*$/.test(name) || i >= objects.length) return;
    const object = objects[i];
    byName.set(name, object ?? null);
    if (object?.type === 'blob') blobById.set(object.id, object.content);
    if (object?.type === 'tree') treeById.set(object.id, object.content);
  });
}

/** What `cat-file --batch` answered for `<commit id>:<path>` in `cwd`: an object, null (missing), or undefined (not read ahead). */
export function objectReadAhead(cwd: string, name: string): CatFileObject | null | undefined {
  return cwd === remembered ? byName.get(name) : undefined;
}

/** The content of blob `id` if it was read ahead in `cwd`. */
export function blobReadAhead(cwd: string, id: string): Buffer | undefined {
  return cwd === remembered ? blobById.get(id) : undefined;
}

/**
 * The object id at `path` in commit `rev`'s tree, as `git ls-tree <rev> -- <path>` names it,
 * from trees read ahead: walked down from the root tree (`<rev>:`) part by part, each folder
 * taken only through an entry whose mode is a folder's (a submodule or a link is never
 * entered, as ls-tree never enters one, even when its id names a tree read ahead). An id,
 * null when ls-tree names nothing, undefined when a tree on the way was not read ahead or is
 * one whose listing git would give otherwise (then git is asked): entries out of git's order
 * (ls-tree stops at the first entry sorting after the path) or a name twice (ls-tree lists
 * both), which no git writes but a push can carry.
 */
export function entryReadAhead(cwd: string, rev: string, path: string): string | null | undefined {
  // Only a path as ls-tree would take it literally: no empty, "." or ".." part.
  const parts = path.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) return undefined;
  const root = objectReadAhead(cwd, `${rev}:`);
  if (!root || root.type !== 'tree') return undefined;
  const idBytes = root.id.length / 2; // SHA-1 or SHA-256, as the tree's own id
  let tree = root.content;
  for (let i = 0; i < parts.length; i++) {
    const entry = findEntry(tree, Buffer.from(parts[i]!, 'utf8'), idBytes);
    if (entry === undefined || entry === null) return entry;
    if (i === parts.length - 1) return entry.id;
    if (!entry.folder) return null; // a file, a link or a submodule: ls-tree lists nothing below it
    const next = cwd === remembered ? treeById.get(entry.id) : undefined;
    if (next === undefined) return undefined;
    tree = next;
  }
  return undefined;
}

/** The entry `name` of a raw tree; null when none; undefined when the tree is not one git lists as read (tree-form.ts). */
function findEntry(tree: Buffer, name: Buffer, idBytes: number): { id: string; folder: boolean } | null | undefined {
  const parsed = parseTree(tree, idBytes);
  if ('problem' in parsed) return undefined;
  const raw = name.toString('latin1');
  return parsed.entries.find((entry) => entry.raw === raw) ?? null;
}
