// Objects of a commit read ahead, for the hub's reads after a main update (lock times, the
// pushed config): on a first push the pre-receive asks one `cat-file --batch` for the new tip's
// lock file, config and package.json, and its root and sessions-folder trees, while Node loads
// the rules (src/hooks/pre-receive-early.ts), and the synchronous readers take the answers
// from here instead of starting git each. Only
// names of the form <commit id>:<path> and object ids are remembered: what they name never
// changes. An object not remembered is read from git, as always.
interface CatFileObject {
  id: string;
  type: string;
  content: Buffer;
}

const byName = new Map<string, CatFileObject | null>();
const blobById = new Map<string, Buffer>();
let remembered = '';

/** Parses `cat-file --batch` output for `names` (asked in that order) and remembers it for `cwd`. */
export function rememberBatch(cwd: string, names: readonly string[], out: Buffer): void {
  byName.clear();
  blobById.clear();
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
 * from the tree of the path's folder read ahead (`<rev>:<folder>`): an id, null when the tree
 * has no such entry (or the folder is not a tree: nothing can be below it), undefined when
 * that folder was not read ahead (then git is asked). Exact for every entry mode: a link or a
 * submodule is named by its own id, as ls-tree does.
 */
export function entryReadAhead(cwd: string, rev: string, path: string): string | null | undefined {
  // Only a path as ls-tree would take it literally: no empty, "." or ".." part.
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..')) return undefined;
  const slash = path.lastIndexOf('/');
  const folder = byNameIn(cwd, `${rev}:${slash === -1 ? '' : path.slice(0, slash)}`);
  if (folder === undefined) return undefined;
  if (folder === null || folder.type !== 'tree') return null;
  const name = Buffer.from(path.slice(slash + 1), 'utf8');
  const idBytes = folder.id.length / 2; // SHA-1 or SHA-256, as the tree's own id
  const tree = folder.content;
  // Entries: "<mode> <name>\0<id bytes>".
  for (let at = 0; at < tree.length; ) {
    const space = tree.indexOf(0x20, at);
    const nul = tree.indexOf(0, space + 1);
    if (space === -1 || nul === -1 || nul + 1 + idBytes > tree.length) return undefined; // not a tree we can read: ask git
    if (nul - space - 1 === name.length && tree.compare(name, 0, name.length, space + 1, nul) === 0) {
      return tree.toString('hex', nul + 1, nul + 1 + idBytes);
    }
    at = nul + 1 + idBytes;
  }
  return null;
}

function byNameIn(cwd: string, name: string): CatFileObject | null | undefined {
  return cwd === remembered ? byName.get(name) : undefined;
}
