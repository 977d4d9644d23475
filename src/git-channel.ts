// A long-lived git process that answers requests in order (cat-file --batch, hash-object
// --stdin-paths, mktree --batch): one write per request (or per batch of them), responses
// delimited by a parse function, so a command pays one process start for many questions.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { ByteQueue } from './byte-queue.ts';
import { gitProcess } from './git.ts';

/** A git process answering requests in order, one response per request. */
export class Channel {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue = new ByteQueue();
  private readonly waiting: { parse: (buffer: Buffer) => number; resolve: (value: Buffer) => void; reject: (err: Error) => void }[] = [];
  private failed: Error | undefined;
  /** Writes made in one turn of the event loop go out together (see send). */
  private corked = false;

  constructor(args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv) {
    this.child = gitProcess(args, { cwd, ...(env ? { env } : {}) });
    const stderr: Buffer[] = [];
    this.child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    this.child.stdin.on('error', () => {});
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.queue.append(chunk);
      this.drain();
    });
    this.child.on('close', (code) => {
      this.failed = new Error(`git ${args[0]} exited (${code}): ${Buffer.concat(stderr).toString('utf8').trim().split('\n').pop() ?? ''}`);
      for (const w of this.waiting.splice(0)) w.reject(this.failed);
    });
  }

  private drain(): void {
    while (this.waiting.length > 0) {
      const used = this.waiting[0]!.parse(this.queue.view());
      if (used < 0) return;
      this.waiting.shift()!.resolve(this.queue.take(used));
    }
  }

  /** Sends `input`; resolves with the bytes of the response `parse` delimits (-1: need more). */
  request(input: Buffer | string, parse: (buffer: Buffer) => number): Promise<Buffer> {
    if (this.failed) return Promise.reject(this.failed);
    const answer = new Promise<Buffer>((resolve, reject) => this.waiting.push({ parse, resolve, reject }));
    this.send(input);
    this.drain();
    return answer;
  }

  /** Sends every line at once (one write); resolves with one response per line, in order. */
  requestMany(lines: readonly string[], parse: (buffer: Buffer) => number): Promise<Buffer[]> {
    if (this.failed) return Promise.reject(this.failed);
    const answers = lines.map(() => new Promise<Buffer>((resolve, reject) => this.waiting.push({ parse, resolve, reject })));
    this.send(`${lines.join('\n')}\n`);
    this.drain();
    return Promise.all(answers);
  }

  /**
   * Writes `input`, corked until the end of this turn: a walk that asks a question per merge
   * it reads (hundreds per chunk of git log) makes one write of them, not one system call and
   * one wake-up of git each (on two busy cores, those cost more than the questions).
   */
  private send(input: Buffer | string): void {
    const stdin = this.child.stdin;
    if (!this.corked) {
      this.corked = true;
      stdin.cork();
      process.nextTick(() => {
        this.corked = false;
        stdin.uncork();
      });
    }
    stdin.write(input);
  }

  close(): void {
    this.child.stdin.end();
  }
}

/** A response that is one line. */
export const oneLine = (buffer: Buffer) => {
  const newline = buffer.indexOf(10);
  return newline === -1 ? -1 : newline + 1;
};
