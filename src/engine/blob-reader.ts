// Reads blob contents for a history walk through ONE long-lived `git cat-file --batch`
// process. Callers ask for many ids at once (a chunk of commits' worth), so the cost is one
// pipe round trip per chunk, not one process per blob. Contents are cached by blob id:
// blobs are immutable, and the walk asks only for small files (lock file, .session-env).
import { gitSync } from '../git.ts';
import { CatFile, type CatFileObject } from './cat-file.ts';

// A copy sharing no memory with the (large) string an id was cut from.
const fresh = (text: string): string => (' ' + text).slice(1);

export class BlobReader {
  private readonly cwd: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly catFile: CatFile;
  private readonly cache = new Map<string, string | undefined>();

  constructor(cwd: string, env: NodeJS.ProcessEnv = process.env) {
    this.cwd = cwd;
    this.env = env;
    this.catFile = new CatFile(cwd, env);
  }

  /** Fetches every id not yet cached, in one write; resolves when all have answered. */
  async fetch(ids: Iterable<string>): Promise<void> {
    const wanted = new Set<string>();
    for (const id of ids) if (!this.cache.has(id)) wanted.add(fresh(id));
    if (wanted.size === 0) return;
    const names = [...wanted];
    const objects = await this.catFile.read(names);
    names.forEach((name, i) => this.cache.set(name, objects[i]?.content.toString('utf8')));
  }

  /** Raw objects by name (`<rev>:<path>`, ids), through the same cat-file process; not cached. */
  objects(names: readonly string[], options?: { again?: boolean }): Promise<(CatFileObject | undefined)[]> {
    return this.catFile.read(names, options);
  }

  /** A cached blob's content; a blob not fetched yet is read with one synchronous call. */
  get(id: string): string | undefined {
    if (this.cache.has(id)) return this.cache.get(id);
    let content: string | undefined;
    try {
      content = gitSync(['cat-file', 'blob', id], { cwd: this.cwd, env: this.env });
    } catch {
      content = undefined;
    }
    this.cache.set(fresh(id), content);
    return content;
  }

  /** Drops every cached content but `keep` (memory follows the live sessions, not the history). */
  retainOnly(keep: ReadonlySet<string>): void {
    for (const id of this.cache.keys()) if (!keep.has(id)) this.cache.delete(id);
  }

  /** Drops cached contents (the walk calls it for blobs it no longer needs). */
  forget(id: string): void {
    this.cache.delete(id);
  }

  close(): void {
    this.catFile.close();
  }
}
