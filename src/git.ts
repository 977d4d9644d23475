// The one module that runs git. Everything it runs throws GitError on failure.
// - `Git` (simple-git) drives git for CLI commands.
// - `gitSync` is a raw batched call for the hooks' hot path: importing simple-git costs
//   more than a whole hook may (35-50 ms measured here), so hooks spawn git directly.
// - `gitWithInput` / `gitLines` cover what simple-git cannot: stdin and streamed output.
// The caller's environment is passed on untouched (GIT_DIR, GIT_INDEX_FILE and the
// quarantine variables of pre-receive must reach every git we start).
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { takeEarlyGit } from './early-git.ts';
import { GitError } from './errors.ts';

// child_process and readline are loaded on first use (process.getBuiltinModule, Node >= 20.16):
// the fs-only helpers below serve hooks such as post-checkout, which never spawn git and
// should not pay ~5 ms (more on a busy machine) to load the process and stream machinery.
const spawn: typeof import('node:child_process').spawn = ((...args: never[]) =>
  (process.getBuiltinModule('node:child_process').spawn as (...a: never[]) => unknown)(...args)) as never;
const spawnSync: typeof import('node:child_process').spawnSync = ((...args: never[]) =>
  (process.getBuiltinModule('node:child_process').spawnSync as (...a: never[]) => unknown)(...args)) as never;
const createInterface: typeof import('node:readline').createInterface = ((...args: never[]) =>
  (process.getBuiltinModule('node:readline').createInterface as (...a: never[]) => unknown)(...args)) as never;

export interface GitCallOptions {
  cwd: string;
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  /** Exit codes other than 0 that are an answer, not a failure (e.g. 1 for `diff --quiet`). */
  okCodes?: readonly number[];
  /** gitSync only: kill git after this many ms (e.g. doctor's ls-remote to the hub). */
  timeoutMs?: number;
  /** gitRun only: kill git when this aborts (an answer nobody needs any more); the call rejects. */
  signal?: AbortSignal;
}

const MAX_BUFFER = 1024 * 1024 * 512;

/** Synchronous raw call: the hot path of hooks. Returns stdout. */
export function gitSync(args: readonly string[], options: GitCallOptions): string {
  const result = spawnSync('git', args as string[], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: MAX_BUFFER,
    ...(options.timeoutMs ? { timeout: options.timeoutMs, killSignal: 'SIGKILL' as const } : {}),
  });
  if (result.error) throw new GitError(args, null, result.error.message);
  if (result.status !== 0 && !(options.okCodes ?? []).includes(result.status ?? -1)) {
    throw new GitError(args, result.status, result.stderr);
  }
  return result.stdout;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  status: number;
}

/** Async raw call with optional stdin; resolves with stdout, stderr and status. */
export function gitRun(args: readonly string[], options: GitCallOptions): Promise<GitResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', args as string[], { cwd: options.cwd, env: options.env ?? process.env, ...(options.signal ? { signal: options.signal } : {}) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new GitError(args, null, error.message)));
    child.on('close', (status) => {
      const result = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), status: status ?? -1 };
      if (result.status !== 0 && !(options.okCodes ?? []).includes(result.status)) {
        reject(new GitError(args, result.status, result.stderr));
      } else resolvePromise(result);
    });
    child.stdin.on('error', () => {}); // git may exit before reading all input
    child.stdin.end(options.input ?? '');
  });
}

/** Async call whose stdout is the answer; throws GitError on a non-zero exit. */
export async function gitWithInput(args: readonly string[], options: GitCallOptions): Promise<string> {
  return (await gitRun(args, options)).stdout;
}

/**
 * Streams git's stdout as records split on `separator` (default newline), so memory
 * stays flat however long the output (e.g. `git log` over 100,000 commits).
 */
export async function* gitRecords(args: readonly string[], options: GitCallOptions & { separator?: string }): AsyncGenerator<string> {
  const child = spawn('git', args as string[], { cwd: options.cwd, env: streamingEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.on('error', () => {}); // git may exit before reading all input
  child.stdin.end(options.input ?? '');
  const errChunks: Buffer[] = [];
  child.stderr.on('data', (chunk: Buffer) => errChunks.push(chunk));
  const closed = new Promise<number>((resolveClose) => child.on('close', (code) => resolveClose(code ?? -1)));
  const separator = options.separator ?? '\n';
  if (separator === '\n') {
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    for await (const line of lines) yield line;
  } else {
    let pending = '';
    child.stdout.setEncoding('utf8');
    for await (const chunk of child.stdout as AsyncIterable<string>) {
      pending += chunk;
      let at = pending.indexOf(separator);
      while (at !== -1) {
        yield pending.slice(0, at);
        pending = pending.slice(at + separator.length);
        at = pending.indexOf(separator);
      }
    }
    if (pending.length > 0) yield pending;
  }
  const status = await closed;
  if (status !== 0 && !(options.okCodes ?? []).includes(status)) {
    throw new GitError(args, status, Buffer.concat(errChunks).toString('utf8'));
  }
}

/**
 * A long-lived git process the caller talks to over stdin/stdout (e.g. `cat-file --batch`,
 * one process for a whole history walk instead of one per blob).
 */
/**
 * The environment for a git whose output is read to its end: GIT_FLUSH=0 makes log and
 * rev-list buffer their output, where on a pipe they would flush after every commit (one
 * write, and one wake-up of this process, per record: 6,000 for a 10,000-commit log).
 */
export function streamingEnv(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  return { ...(env ?? process.env), GIT_FLUSH: '0' };
}

export function gitProcess(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): ChildProcessWithoutNullStreams {
  // The same git started early by the hook (src/early-git.ts), or a new one.
  const early = takeEarlyGit(args, options);
  if (early) return early;
  return spawn('git', args as string[], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * simple-git wrapper for commands. simple-git is imported on first use, so that commands
 * which only read files (status) do not pay for loading it.
 */
export class Git {
  readonly cwd: string;
  #client: Promise<SimpleGit> | undefined;
  constructor(cwd: string) {
    this.cwd = cwd;
  }

  client(): Promise<SimpleGit> {
    this.#client ??= import('simple-git').then(({ simpleGit }) => simpleGit({ baseDir: this.cwd, trimmed: false }));
    return this.#client;
  }

  async raw(...args: string[]): Promise<string> {
    const client = await this.client();
    try {
      return await client.raw(args);
    } catch (err) {
      throw new GitError(args, null, err instanceof Error ? err.message : String(err));
    }
  }

  /** Like raw, but undefined instead of an error (for questions like "does this ref exist"). */
  async tryRaw(...args: string[]): Promise<string | undefined> {
    const client = await this.client();
    try {
      return await client.raw(args);
    } catch {
      return undefined;
    }
  }

  run(args: readonly string[], options: Omit<GitCallOptions, 'cwd'> = {}): Promise<GitResult> {
    return gitRun(args, { ...options, cwd: this.cwd });
  }
}

// ---------------------------------------------------------------------------------------
// File-system answers about the repository, without spawning git (cheap for hooks).

/** The repository's top level for `cwd`, or undefined outside a work tree. One git call. */
export function findTopLevel(cwd: string): string | undefined {
  try {
    return gitSync(['rev-parse', '--show-toplevel'], { cwd }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The git dir of the work tree at `top` (handles the `.git` file of linked worktrees). */
export function gitDirOf(top: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.GIT_DIR) return isAbsolute(env.GIT_DIR) ? env.GIT_DIR : resolve(top, env.GIT_DIR);
  const dotGit = join(top, '.git');
  if (existsSync(dotGit) && statSync(dotGit).isFile()) {
    const match = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
    if (match) return resolve(top, match[1]!.trim());
  }
  return dotGit;
}

/** The common dir (shared by all worktrees) for a git dir. */
export function commonDirOf(gitDir: string): string {
  const file = join(gitDir, 'commondir');
  if (existsSync(file)) return resolve(gitDir, readFileSync(file, 'utf8').trim());
  return gitDir;
}

/**
 * The branch being worked on: HEAD's branch, or during a rebase (detached HEAD) the
 * branch being rebased, read from rebase-merge/ or rebase-apply/ head-name.
 */
export function currentBranchOf(gitDir: string): string | undefined {
  try {
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (head.startsWith('ref: refs/heads/')) return head.slice('ref: refs/heads/'.length);
  } catch {
    return undefined;
  }
  for (const dir of ['rebase-merge', 'rebase-apply']) {
    try {
      const name = readFileSync(join(gitDir, dir, 'head-name'), 'utf8').trim();
      if (name.startsWith('refs/heads/')) return name.slice('refs/heads/'.length);
    } catch {
      /* not in this kind of rebase */
    }
  }
  return undefined;
}

export function isInsideDir(child: string, parent: string): boolean {
  const rel = resolve(child);
  const base = resolve(parent);
  return rel === base || rel.startsWith(base.endsWith('/') ? base : `${base}/`);
}

export { dirname };

/**
 * A ref's id read from the files git keeps (loose, then packed-refs), sparing a rev-parse;
 * undefined when it is in neither (or the repository keeps refs another way): ask git then.
 */
export function readRefFile(top: string, ref: string): string | undefined {
  const common = commonDirOf(gitDirOf(top));
  const id = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
  try {
    const text = readFileSync(join(common, ...ref.split('/')), 'utf8').trim();
    return id.test(text) ? text : undefined;
  } catch {
    // Not loose (a fetch that found main unchanged leaves it in packed-refs, as clone wrote it).
  }
  try {
    for (const line of readFileSync(join(common, 'packed-refs'), 'utf8').split('\n')) {
      const space = line.indexOf(' ');
      if (space > 0 && line.slice(space + 1) === ref) return id.test(line.slice(0, space)) ? line.slice(0, space) : undefined;
    }
  } catch {
    /* no packed-refs: ask git */
  }
  return undefined;
}
