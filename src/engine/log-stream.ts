// Reads a git process's output EAGERLY into a bounded queue of records, so git keeps
// producing while the rules judge what arrived (a pull-based reader lets git write one pipe
// buffer, 64 KB, then stall until the judging stops: the two would take turns instead of
// running side by side). The queue pauses git at HIGH_WATER bytes, so memory stays bounded.
// The consumer takes the records of one chunk of git's output per step: one await per chunk,
// not one per record (a history walk reads 10,000 records; an async hop each was a tenth of
// its time).
import { StringDecoder } from 'node:string_decoder';
import { GitError, RefusedError } from '../errors.ts';
import { gitProcess, streamingEnv } from '../git.ts';
import { MAX_RECORD } from './log-record.ts';

const HIGH_WATER = 1024 * 1024;

/** A record longer than MAX_RECORD: refused, never judged in part. */
export class RecordTooLargeError extends RefusedError {
  constructor() {
    super('record-too-large', `a record of git's output is over ${MAX_RECORD / 1024 / 1024} Mi characters: too large to judge`, {
      fix: 'split the commit (its message or the changes it makes) into smaller ones, then push or check again',
    });
  }
}

/** One character: it never straddles two chunks, so each chunk is searched on its own. */
export type Separator = '\n' | '\x01';

/**
 * Appends to `records` the records that `text` (one chunk, decoded) completes, and returns
 * what is left over for the next chunk. Each chunk is split on its own: joining all that was
 * queued (up to 1 MB) and searching it made one flat string of that size per step, and V8
 * puts a string over 128 KB straight into the old generation (its large-object space), where
 * only a full collection frees it: ~60 MB of it over a 100,000-commit log. Only the new chunk
 * is searched: a record longer than a chunk (a commit that changes thousands of files) is
 * joined once, not searched again for every chunk it spans.
 */
export function splitInto(records: string[], pending: string, text: string, separator: Separator): string {
  let at = text.indexOf(separator);
  if (at === -1) return pending + text;
  records.push(pending + text.slice(0, at));
  let start = at + 1;
  while ((at = text.indexOf(separator, start)) !== -1) {
    records.push(text.slice(start, at));
    start = at + 1;
  }
  return text.slice(start);
}

export async function* eagerRecords(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; separator: Separator },
): AsyncGenerator<string[]> {
  const child = gitProcess(args, { cwd: options.cwd, env: streamingEnv(options.env) });
  child.stdin.on('error', () => {});
  child.stdin.end(options.input ?? '');
  const errors: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
  // Raw chunks wait in the queue; they are decoded and split only when taken, so a chunk that
  // waits (the next slice's git log runs ahead of the rules) stays outside the JS heap.
  const queue: Buffer[] = [];
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
        // One chunk per step: what waits behind it stays raw bytes, outside the JS heap,
        // until the rules are ready for it.
        const chunk = queue.shift()!;
        queuedBytes -= chunk.length;
        if (queuedBytes <= HIGH_WATER && child.stdout.isPaused()) child.stdout.resume();
        const records: string[] = [];
        pending = splitInto(records, pending, decoder.write(chunk), options.separator);
        if (pending.length > MAX_RECORD) throw new RecordTooLargeError();
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
