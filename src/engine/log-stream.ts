// Reads a git process's output EAGERLY into a bounded queue of records, so git keeps
// producing while the rules judge what arrived (a pull-based reader lets git write one pipe
// buffer, 64 KB, then stall until the judging stops: the two would take turns instead of
// running side by side). The queue pauses git at HIGH_WATER bytes, so memory stays bounded.
// The consumer takes every record queued so far in one step: one await per chunk of git's
// output, not one per record (a history walk reads 10,000 records; an async hop each was a
// tenth of its time).
import { GitError } from '../errors.ts';
import { gitProcess, streamingEnv } from '../git.ts';

const HIGH_WATER = 1024 * 1024;

export async function* eagerRecords(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; separator: string; highWater?: number },
): AsyncGenerator<string[]> {
  const highWater = options.highWater ?? HIGH_WATER;
  const child = gitProcess(args, { cwd: options.cwd, env: streamingEnv(options.env) });
  child.stdin.on('error', () => {});
  child.stdin.end(options.input ?? '');
  const errors: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
  let queue: string[] = [];
  let queuedBytes = 0;
  let pending = '';
  let finished = false;
  let status = 0;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let start = 0;
    let at = pending.indexOf(options.separator);
    while (at !== -1) {
      queue.push(pending.slice(start, at));
      queuedBytes += at - start;
      start = at + options.separator.length;
      at = pending.indexOf(options.separator, start);
    }
    if (start > 0) pending = pending.slice(start);
    if (queuedBytes > highWater) child.stdout.pause();
    notify();
  });
  child.on('close', (code) => {
    if (pending.length > 0) queue.push(pending);
    pending = '';
    status = code ?? -1;
    finished = true;
    notify();
  });
  child.on('error', () => {
    finished = true;
    status = -1;
    notify();
  });
  try {
    for (;;) {
      if (queue.length > 0) {
        const records = queue;
        queue = [];
        queuedBytes = 0;
        if (child.stdout.isPaused()) child.stdout.resume();
        yield records;
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (!finished) child.kill();
  }
  if (status !== 0) throw new GitError(args, status, Buffer.concat(errors).toString('utf8'));
}
