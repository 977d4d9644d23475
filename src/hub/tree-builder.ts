// Edits a tree that is not checked out (the hub's main as fetched) with three long-lived git
// plumbing processes, started once per command and shared by every retry of a hub
// transaction: `cat-file --batch` reads the trees along the edited paths, `hash-object
// --stdin-paths` writes new blobs, `mktree --batch` writes the new trees. Only the
// directories on an edited path are read and rewritten (a session folder moves as ONE tree
// entry); a retry after a lost race spawns no process for its tree. Names are kept as raw
// bytes (latin1 strings) so that any name in the tree survives unchanged.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatFile, type CatFileObject } from '../engine/cat-file.ts';
import { Channel, oneLine } from '../git-channel.ts';
import { typeOfMode } from '../policy/tree-form.ts';

export interface RawEntry {
  /** Octal mode as git writes it in trees (40000 for a tree). */
  mode: string;
  sha: string;
}

const isTreeMode = (mode: string) => mode === '40000' || mode === '040000';
/** A path component as the raw bytes git stores, in a latin1 string. */
const raw = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

/** Parses a raw tree object: "<mode> <name>\0<20-byte id>" repeated. */
export function parseTree(content: Buffer): Map<string, RawEntry> {
  const entries = new Map<string, RawEntry>();
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(32, at);
    const nul = content.indexOf(0, space);
    if (space === -1 || nul === -1) break;
    const mode = content.toString('latin1', at, space);
    const name = content.toString('latin1', space + 1, nul);
    const sha = content.toString('hex', nul + 1, nul + 21);
    entries.set(name, { mode, sha });
    at = nul + 21;
  }
  return entries;
}

/** A directory being edited: its entries, and the subdirectories opened for editing. */
interface Dir {
  entries: Map<string, RawEntry>;
  open: Map<string, Dir>;
  changed: boolean;
}

export interface TreeEdit {
  /** Whole paths (file or folder) moved: the entry keeps its mode and id (a folder moves as one tree). */
  moves?: { from: string; to: string }[];
  /** Files or folders removed. */
  removes?: string[];
  /** Files put last (they win over moves): an existing blob id, or content to write. */
  writes?: { path: string; content?: string | Buffer; sha?: string; mode?: string }[];
}

/** Reads objects by name: a CatFile, or a command's BlobReader (`objects`) to share its process. */
export interface ObjectSource {
  objects(names: readonly string[]): Promise<(CatFileObject | undefined)[]>;
}

export class TreeBuilder {
  private readonly cwd: string;
  private readonly reader: ObjectSource;
  /** The cat-file process this builder started itself (none when it reads through a shared one). */
  private readonly own: CatFile | undefined;
  private hasher: Channel | undefined;
  private maker: Channel | undefined;
  private scratch: string | undefined;
  private written = 0;

  constructor(cwd: string, shared?: ObjectSource) {
    this.cwd = cwd;
    if (shared) {
      this.reader = shared;
    } else {
      const own = new CatFile(cwd);
      this.own = own;
      this.reader = { objects: (names) => own.read(names) };
    }
  }

  /** The entries of a tree (`<rev>^{tree}`, `<rev>:<dir>` or an id); undefined when it is not a tree. */
  async readTree(treeish: string): Promise<Map<string, RawEntry> | undefined> {
    const [object] = await this.reader.objects([treeish]);
    return object?.type === 'tree' ? parseTree(object.content) : undefined;
  }

  /** Writes blobs; returns their ids in order. */
  async writeBlobs(contents: readonly (string | Buffer)[]): Promise<string[]> {
    if (contents.length === 0) return [];
    this.hasher ??= new Channel(['hash-object', '-w', '--no-filters', '--stdin-paths'], this.cwd);
    this.scratch ??= mkdtempSync(join(tmpdir(), 'as-blobs-'));
    const files = contents.map((content) => {
      const file = join(this.scratch!, String(this.written++));
      writeFileSync(file, content);
      return file;
    });
    const hasher = this.hasher;
    const ids = await Promise.all(files.map((file) => hasher.request(`${file}\n`, oneLine)));
    return ids.map((id) => id.toString('latin1').trim());
  }

  /** Writes one tree object from its entries; returns its id. */
  async writeTree(entries: ReadonlyMap<string, RawEntry>): Promise<string> {
    // --missing: every entry names an object read from a tree or just written, so git need
    // not look each one up; and a long-lived mktree would not see a pack fetched after it
    // started ("object ... is unavailable").
    this.maker ??= new Channel(['mktree', '-z', '--missing', '--batch'], this.cwd);
    const parts: Buffer[] = [];
    for (const [name, entry] of entries) parts.push(Buffer.from(`${entry.mode} ${typeOfMode(entry.mode)} ${entry.sha}\t`, 'latin1'), Buffer.from(name, 'latin1'), Buffer.from([0]));
    parts.push(Buffer.from([0]));
    return (await this.maker.request(Buffer.concat(parts), oneLine)).toString('latin1').trim();
  }

  /** `baseTree` with `edit` applied, as a new tree id. Nothing checked out changes. */
  async edit(baseTree: string, edit: TreeEdit): Promise<string> {
    const rootEntries = await this.readTree(baseTree);
    if (!rootEntries) throw new Error(`${baseTree} is not a tree`);
    const root: Dir = { entries: rootEntries, open: new Map(), changed: false };

    // Opens the directory at `parts` (raw names) for editing, creating it when `create`.
    const open = async (parts: readonly string[], create: boolean): Promise<Dir | undefined> => {
      let dir = root;
      for (const name of parts) {
        let next = dir.open.get(name);
        if (!next) {
          const entry = dir.entries.get(name);
          let entries: Map<string, RawEntry> | undefined;
          if (entry && isTreeMode(entry.mode)) {
            entries = await this.readTree(entry.sha);
            if (!entries) throw new Error(`cannot read tree ${entry.sha}`);
          } else if (entry || !create) return undefined; // a file is in the way, or nothing to open
          next = { entries: entries ?? new Map(), open: new Map(), changed: entries === undefined };
          dir.open.set(name, next);
        }
        dir = next;
      }
      return dir;
    };
    const split = (path: string) => path.split('/').filter(Boolean).map(raw);
    const touch = (parts: readonly string[]) => {
      // Marks every directory on the way as changed (their ids must be written again).
      let dir = root;
      dir.changed = true;
      for (const name of parts) {
        dir = dir.open.get(name)!;
        dir.changed = true;
      }
    };
    const lookup = async (path: string): Promise<RawEntry | undefined> => {
      const parts = split(path);
      const dir = await open(parts.slice(0, -1), false);
      return dir?.entries.get(parts[parts.length - 1]!);
    };
    const put = async (path: string, entry: RawEntry): Promise<void> => {
      const parts = split(path);
      const name = parts[parts.length - 1]!;
      const dir = await open(parts.slice(0, -1), true);
      if (!dir) throw new Error(`cannot write ${path}: a file is in the way`);
      const existing = dir.entries.get(name);
      if (isTreeMode(entry.mode) && existing && isTreeMode(existing.mode)) {
        // A folder moved onto a folder: its entries go inside, as an index-based edit would.
        const inside = await this.readTree(entry.sha);
        if (!inside) throw new Error(`cannot read tree ${entry.sha}`);
        for (const [child, childEntry] of inside) await put(`${path}/${Buffer.from(child, 'latin1').toString('utf8')}`, childEntry);
        return;
      }
      dir.entries.set(name, entry);
      dir.open.delete(name);
      touch(parts.slice(0, -1));
    };
    const remove = async (path: string): Promise<void> => {
      const parts = split(path);
      const dir = await open(parts.slice(0, -1), false);
      if (!dir || !dir.entries.has(parts[parts.length - 1]!)) return;
      dir.entries.delete(parts[parts.length - 1]!);
      dir.open.delete(parts[parts.length - 1]!);
      touch(parts.slice(0, -1));
    };

    for (const move of edit.moves ?? []) {
      const entry = await lookup(move.from);
      if (!entry) continue;
      await remove(move.from);
      await put(move.to, entry);
    }
    for (const path of edit.removes ?? []) await remove(path);
    const writes = edit.writes ?? [];
    const toHash = writes.filter((w) => w.sha === undefined);
    const ids = await this.writeBlobs(toHash.map((w) => w.content ?? ''));
    toHash.forEach((w, i) => (w.sha = ids[i]));
    for (const w of writes) await put(w.path, { mode: w.mode ?? '100644', sha: w.sha! });

    // Writes the changed directories bottom-up; an empty one disappears, as with write-tree.
    const write = async (dir: Dir): Promise<string | undefined> => {
      for (const [name, child] of dir.open) {
        if (!child.changed) continue;
        const id = await write(child);
        if (id === undefined) dir.entries.delete(name);
        else dir.entries.set(name, { mode: '40000', sha: id });
      }
      if (dir.entries.size === 0) return undefined;
      return this.writeTree(dir.entries);
    };
    if (!root.changed) return (await this.readTreeId(baseTree))!;
    return (await write(root)) ?? (await this.writeTree(new Map()));
  }

  private async readTreeId(treeish: string): Promise<string | undefined> {
    const [object] = await this.reader.objects([treeish]);
    return object?.type === 'tree' ? object.id : undefined;
  }

  close(): void {
    this.own?.close();
    this.hasher?.close();
    this.maker?.close();
    if (this.scratch) rmSync(this.scratch, { recursive: true, force: true });
    this.hasher = this.maker = undefined;
    this.scratch = undefined;
  }
}
