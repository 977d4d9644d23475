// Reads a git process's output EAGERLY into a bounded queue of records, so git keeps
// producing while the rules judge what arrived (a pull-based reader lets git write one pipe
// buffer, 64 KB, then stall until the judging stops: the two would take turns instead of
// running side by side). The queue pauses git at HIGH_WATER bytes, so memory stays bounded.
// The consumer takes every record queued so far in one step: one await per chunk of git's
// output, not one per record (a history walk reads 10,000 records; an async hop each was a
// tenth of its time).
import { StringDecoder } from 'node:string_decoder';
import { GitError } from '../errors.ts';
import { gitProcess, streamingEnv } from '../git.ts';

const HIGH_WATER = 1024 * 1024;

export async function* eagerRecords(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; separator: string },
): AsyncGenerator<string[]> {
  const child = gitProcess(args, { cwd: options.cwd, env: streamingEnv(options.env) });
  child.stdin.on('error', () => {});
  child.stdin.end(options.input ?? '');
  const errors: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
  // Raw chunks wait in the queue; they are decoded and split only when taken, so a chunk that
  // waits (the next slice's git log runs ahead of the rules) stays outside the JS heap.
  let queue: Buffer[] = [];
  let queuedBytes = 0;
  let finished = false;
  let status = 0;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  child.stdout.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    queuedBytes += chunk.length;
    if (queuedBytes > HIGH_WATER) child.stdout.pause();
    notify();
  });
  child.on('close', (code) => {
    status = code ?? -1;
    finished = true;
    notify();
  });
  child.on('error', () => {
    finished = true;
    status = -1;
    notify();
  });
  const decoder = new StringDecoder('utf8');
  let pending = '';
  try {
    for (;;) {
      if (queue.length > 0) {
        const chunks = queue;
        queue = [];
        queuedBytes = 0;
        if (child.stdout.isPaused()) child.stdout.resume();
        let text = pending;
        for (const chunk of chunks) text += decoder.write(chunk);
        const records: string[] = [];
        let start = 0;
        let at = text.indexOf(options.separator);
        while (at !== -1) {
          records.push(text.slice(start, at));
          start = at + options.separator.length;
          at = text.indexOf(options.separator, start);
        }
        pending = text.slice(start);
        if (records.length > 0) yield records;
        continue;
      }
      if (finished) {
        pending += decoder.end();
        if (pending.length > 0) yield [pending];
        break;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (!finished) child.kill();
  }
  if (status !== 0) throw new GitError(args, status, Buffer.concat(errors).toString('utf8'));
}
