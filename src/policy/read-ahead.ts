// Objects of a commit read ahead, for the hub's reads after a main update (lock times, the
// pushed config): on a first push the pre-receive asks one `cat-file --batch` for the new tip's
// lock file, config and package.json, and its root and sessions-folder trees, while Node loads
// the rules (src/hooks/pre-receive-early.ts), and the synchronous readers take the answers
// from here instead of starting git each. Only
// names of the form <commit id>:<path> and object ids are remembered: what they name never
// changes. An object not remembered is read from git, as always.
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

/** Parses `cat-file --batch` output for `names` (asked in that order) and remembers it for `cwd`. */
export function rememberBatch(cwd: string, names: readonly string[], out: Buffer): void {
  byName.clear();
  blobById.clear();
  treeById.clear();
  remembered = cwd;
  let at = 0;
  for (const name of names) {
    if (!/^[0-9a-f]{40,64}:[^\n\r]*$/.test(name)) return;
    const newline = out.indexOf(10, at);
    if (newline === -1) return;
    const [id, type, size] = out.toString('latin1', at, newline).split(' ');
    at = newline + 1;
    if (size === undefined || !/^[0-9a-f]{40,64}$/.test(id ?? '')) {
      byName.set(name, null); // "<name> missing"
      continue;
    }
    const end = at + Number(size);
    if (out.length < end + 1) return; // cut short: what is missing is read from git
    const content = out.subarray(at, end);
    at = end + 1;
    byName.set(name, { id: id!, type: type!, content });
    if (type === 'blob') blobById.set(id!, content);
    if (type === 'tree') treeById.set(id!, content);
  }
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
