// git processes started before the code that asks for them has loaded. A hook that knows its
// first git calls from its input alone (the hub's pre-receive on a first push: the adoption
// search, the walk's cat-file) starts them at once, so git works on the other core while Node
// loads and initialises the rules (src/hooks/pre-receive-early.ts). `gitProcess` hands such a
// process to the first caller that asks for the SAME arguments, working directory and
// environment; one nobody asked for is killed when the hook ends (`dropEarlyGit`). A guess
// that does not match costs one git process on the other core, never a different answer:
// the caller then starts its own git, as it always did.
//
// A process that needs no input (a rev-list) may finish before anyone asks for it, and Node
// then discards what nobody read and reports 'close' to nobody: such a process is started
// with `read` (or `then`) and read from the start; its caller gets a stand-in that replays
// what was read and passes on the rest. `then` gets the whole output of a process that exited
// 0 (`check --all` starts planWalk's rev-list once the adoption search has answered). A
// process without `read` that has exited before it was asked for (a failure: it waits for
// its input otherwise) is not handed out: the caller's own spawn reports the failure.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

interface EarlyGit {
  key: string;
  env: NodeJS.ProcessEnv;
  child: ChildProcessWithoutNullStreams;
  /** The spawn failed (no git on PATH...): never handed out; the caller's own spawn reports it. */
  failed: boolean;
  exited: boolean;
  /** What a process started with `read` printed so far (it is read from the start). */
  read?: Recorded;
}

interface Recorded {
  out: Buffer[];
  err: Buffer[];
  outEnded: boolean;
  errEnded: boolean;
  /** Set at 'close': the exit code (-1 for a signal). */
  code: number | undefined;
  /** Whether the output is still kept (for `then`) after the caller took the process. */
  keep: boolean;
  taken: boolean;
}

// One list per process, even when two bundles each hold a copy of this module (the bin's
// dispatcher starts, dist/lean-check.cjs takes: src/cli/entry.ts).
const shared = ((globalThis as Record<symbol, unknown>)[Symbol.for('agent-sessions.early-git')] ??= {
  waiting: [] as EarlyGit[],
  stats: { started: 0, used: 0 },
  dropped: false,
}) as { waiting: EarlyGit[]; stats: { started: number; used: number }; dropped: boolean };
const waiting = shared.waiting;
/** Handed out and started (AGENT_SESSIONS_DEBUG=1 prints them). */
export const earlyGitStats = shared.stats;

const EMPTY = Buffer.alloc(0);
/** How much of a process's output is read before anyone asks for it (`read`, without `then`). */
const HIGH_WATER = 1024 * 1024;
const keyOf = (args: readonly string[], cwd: string) => JSON.stringify([cwd, ...args]);

function sameEnv(a: NodeJS.ProcessEnv, b: NodeJS.ProcessEnv): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

/** Starts `git <args>` now, for a later `gitProcess` call with the same arguments (see above). */
export function startGitEarly(
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; read?: boolean; then?: (stdout: string) => void },
): void {
  if (shared.dropped) return;
  const { spawn } = process.getBuiltinModule('node:child_process');
  const env = { ...options.env };
  const child = spawn('git', args as string[], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const entry: EarlyGit = { key: keyOf(args, options.cwd), env, child, failed: false, exited: false };
  // Until a caller takes it, nobody else listens: an 'error' must not go unhandled.
  child.on('error', () => {
    entry.failed = true;
  });
  child.on('exit', () => {
    entry.exited = true;
  });
  child.stdin.on('error', () => {});
  if (options.read || options.then) {
    const then = options.then;
    const read: Recorded = { out: [], err: [], outEnded: false, errEnded: false, code: undefined, keep: then !== undefined, taken: false };
    entry.read = read;
    // Read ahead at most HIGH_WATER bytes that nobody has asked for yet, then leave the rest
    // in the pipe (git waits) until the caller takes it: memory stays bounded whatever git
    // prints (a 100,000-commit rev-list is ~9 MB). Output `then` wants is read whole.
    let ahead = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      if (read.taken && !read.keep) return;
      read.out.push(chunk);
      if (!read.taken && !then && (ahead += chunk.length) > HIGH_WATER) child.stdout.pause();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (!read.taken) read.err.push(chunk);
    });
    child.stdout.on('end', () => (read.outEnded = true));
    child.stderr.on('end', () => (read.errEnded = true));
    child.on('close', (code) => {
      read.code = code ?? -1;
      if (!then) return;
      const out = read.out;
      // `then` has what it wants: what the caller has not been given yet is let go as it is.
      read.keep = false;
      if (code !== 0 || entry.failed || shared.dropped) return;
      try {
        then(Buffer.concat(out).toString('utf8'));
      } catch {
        /* a next start is a guess: none then */
      }
    });
  }
  waiting.push(entry);
  earlyGitStats.started++;
}

/**
 * The caller's view of a process whose output was read from the start: what was read, then
 * the rest as it comes (git paused while the caller is behind), 'close' once both streams
 * have been read to their end.
 */
function replay(child: ChildProcessWithoutNullStreams, read: Recorded): ChildProcessWithoutNullStreams {
  const { EventEmitter } = process.getBuiltinModule('node:events');
  const { PassThrough } = process.getBuiltinModule('node:stream');
  type Pass = InstanceType<typeof PassThrough>;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stand = Object.assign(new EventEmitter(), { stdin: child.stdin, stdout, stderr, pid: child.pid, kill: (signal?: NodeJS.Signals | number) => child.kill(signal) });
  let ends = 0;
  const closeWhenRead = () => {
    if (++ends === 3) stand.emit('close', read.code, null);
  };
  stdout.once('end', closeWhenRead);
  stderr.once('end', closeWhenRead);
  // What was read is written as the caller reads it (on 'drain'), and let go once written
  // unless `then` still wants it, so it does not sit in the stand-in's buffer and the caller's
  // queue at once. The source is paused meanwhile: nothing new overtakes what was read.
  const pass = (from: Buffer[], ended: boolean, source: NodeJS.ReadableStream, to: Pass) => {
    if (!ended) source.pause();
    let at = 0;
    const pump = () => {
      while (at < from.length) {
        const chunk = from[at]!;
        if (!read.keep) from[at] = EMPTY;
        at++;
        if (!to.write(chunk)) {
          to.once('drain', pump);
          return;
        }
      }
      if (!read.keep) from.length = 0;
      if (ended) {
        to.end();
        return;
      }
      source.on('data', (chunk: Buffer) => {
        if (!to.write(chunk)) source.pause();
      });
      to.on('drain', () => source.resume());
      source.on('end', () => to.end());
      source.resume();
    };
    pump();
  };
  read.taken = true;
  pass(read.out, read.outEnded, child.stdout, stdout);
  pass(read.err, read.errEnded, child.stderr, stderr);
  if (read.code !== undefined) closeWhenRead();
  else child.on('close', closeWhenRead);
  child.on('error', (err) => stand.emit('error', err));
  return stand as unknown as ChildProcessWithoutNullStreams;
}

/** The process started early for exactly this call, if any (taken once). */
export function takeEarlyGit(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): ChildProcessWithoutNullStreams | undefined {
  if (waiting.length === 0) return undefined;
  const key = keyOf(args, options.cwd);
  const at = waiting.findIndex((entry) => entry.key === key && !entry.failed && sameEnv(entry.env, options.env ?? process.env));
  if (at === -1) return undefined;
  const entry = waiting[at]!;
  // Exited before anyone wrote to it (it failed): what it printed is gone, so not handed out.
  if (!entry.read && entry.exited) return undefined;
  waiting.splice(at, 1);
  earlyGitStats.used++;
  return entry.read ? replay(entry.child, entry.read) : entry.child;
}

/** Kills what was started early and never asked for (an unread pipe would keep git, and us, waiting). */
export function dropEarlyGit(): void {
  shared.dropped = true;
  for (const entry of waiting.splice(0)) {
    entry.child.stdin.destroy();
    entry.child.stdout.destroy();
    entry.child.stderr.destroy();
    entry.child.kill();
  }
}
