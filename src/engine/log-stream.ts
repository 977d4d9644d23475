// Reads a git process's output EAGERLY into a bounded queue of records, so git keeps
// producing while the rules judge what arrived (a pull-based reader lets git write one pipe
// buffer, 64 KB, then stall until the judging stops: the two would take turns instead of
// running side by side). The queue pauses git at HIGH_WATER bytes, so memory stays bounded.
import { GitError } from '../errors.ts';
import { gitProcess } from '../git.ts';

const HIGH_WATER = 1024 * 1024;

export async function* eagerRecords(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; separator: string },
): AsyncGenerator<string> {
  const child = gitProcess(args, { cwd: options.cwd, ...(options.env ? { env: options.env } : {}) });
  child.stdin.on('error', () => {});
  child.stdin.end(options.input ?? '');
  const errors: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
  const queue: string[] = [];
  let head = 0;
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
    let at = pending.indexOf(options.separator);
    while (at !== -1) {
      const record = pending.slice(0, at);
      queue.push(record);
      queuedBytes += record.length;
      pending = pending.slice(at + options.separator.length);
      at = pending.indexOf(options.separator);
    }
    if (queuedBytes > HIGH_WATER) child.stdout.pause();
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
      if (head < queue.length) {
        const record = queue[head]!;
        queue[head++] = '';
        queuedBytes -= record.length;
        if (head > 4096 && head * 2 > queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        if (child.stdout.isPaused() && queuedBytes < HIGH_WATER / 2) child.stdout.resume();
        yield record;
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
