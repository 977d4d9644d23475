// Reads blob contents for a history walk through ONE long-lived `git cat-file --batch`
// process. Callers ask for many ids at once (a chunk of commits' worth), so the cost is one
// pipe round trip per chunk, not one process per blob. Contents are cached by blob id:
// blobs are immutable, and the walk asks only for small files (lock file, .session-env).
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { gitProcess, gitSync } from '../git.ts';

// A copy sharing no memory with the (large) string an id was cut from.
const fresh = (text: string): string => (' ' + text).slice(1);

interface Pending {
  id: string;
  resolve(): void;
}

export class BlobReader {
  private readonly cwd: string;
  private readonly env: NodeJS.ProcessEnv;
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly cache = new Map<string, string | undefined>();
  private readonly queue: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private failure: Error | undefined;

  constructor(cwd: string, env: NodeJS.ProcessEnv = process.env) {
    this.cwd = cwd;
    this.env = env;
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = gitProcess(['cat-file', '--batch'], { cwd: this.cwd, env: this.env });
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    child.stderr.on('data', () => {});
    child.stdin.on('error', () => {});
    child.on('close', () => {
      this.failure ??= new Error('git cat-file --batch exited early');
      for (const pending of this.queue.splice(0)) pending.resolve();
    });
    this.child = child;
    return child;
  }

  // Each answer is `<id> blob <size>\n<content>\n` or `<id> missing\n`.
  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.queue.length > 0) {
      const newline = this.buffer.indexOf(10);
      if (newline === -1) return;
      const header = this.buffer.toString('latin1', 0, newline);
      const parts = header.split(' ');
      const pending = this.queue[0]!;
      if (parts[1] === 'missing' || parts.length < 3) {
        this.cache.set(pending.id, undefined);
        this.buffer = this.buffer.subarray(newline + 1);
      } else {
        const size = Number(parts[2]);
        if (this.buffer.length < newline + 1 + size + 1) return;
        this.cache.set(pending.id, this.buffer.toString('utf8', newline + 1, newline + 1 + size));
        this.buffer = this.buffer.subarray(newline + 1 + size + 1);
      }
      this.queue.shift();
      pending.resolve();
    }
  }

  /** Fetches every id not yet cached, in one write; resolves when all have answered. */
  async fetch(ids: Iterable<string>): Promise<void> {
    const wanted = new Set<string>();
    for (const id of ids) if (!this.cache.has(id)) wanted.add(fresh(id));
    if (wanted.size === 0) return;
    const child = this.start();
    const done = [...wanted].map((id) => new Promise<void>((resolve) => this.queue.push({ id, resolve })));
    child.stdin.write(`${[...wanted].join('\n')}\n`);
    await Promise.all(done);
    if (this.failure) throw this.failure;
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
    if (this.child) {
      this.child.stdin.end();
      this.child = undefined;
    }
  }
}
