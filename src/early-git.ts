// git processes started before the code that asks for them has loaded. A hook that knows its
// first git calls from its input alone (the hub's pre-receive on a first push: the adoption
// search, the walk's cat-file) starts them at once, so git works on the other core while Node
// loads and initialises the rules (src/hooks/pre-receive-early.ts). `gitProcess` hands such a
// process to the first caller that asks for the SAME arguments, working directory and
// environment; one nobody asked for is killed when the hook ends (`dropEarlyGit`). A guess
// that does not match costs one git process on the other core, never a different answer:
// the caller then starts its own git, as it always did.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

interface EarlyGit {
  key: string;
  env: NodeJS.ProcessEnv;
  child: ChildProcessWithoutNullStreams;
  /** The spawn failed (no git on PATH...): never handed out; the caller's own spawn reports it. */
  failed: boolean;
}

const waiting: EarlyGit[] = [];
/** Handed out and started (AGENT_SESSIONS_DEBUG=1 prints them). */
export const earlyGitStats = { started: 0, used: 0 };

const keyOf = (args: readonly string[], cwd: string) => JSON.stringify([cwd, ...args]);

function sameEnv(a: NodeJS.ProcessEnv, b: NodeJS.ProcessEnv): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}

/** Starts `git <args>` now, for a later `gitProcess` call with the same arguments (see above). */
export function startGitEarly(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): void {
  const { spawn } = process.getBuiltinModule('node:child_process');
  const env = { ...options.env };
  const child = spawn('git', args as string[], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const entry: EarlyGit = { key: keyOf(args, options.cwd), env, child, failed: false };
  // Until a caller takes it, nobody else listens: an 'error' must not go unhandled.
  child.on('error', () => {
    entry.failed = true;
  });
  child.stdin.on('error', () => {});
  waiting.push(entry);
  earlyGitStats.started++;
}

/** The process started early for exactly this call, if any (taken once). */
export function takeEarlyGit(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): ChildProcessWithoutNullStreams | undefined {
  if (waiting.length === 0) return undefined;
  const key = keyOf(args, options.cwd);
  const at = waiting.findIndex((entry) => entry.key === key && !entry.failed && sameEnv(entry.env, options.env ?? process.env));
  if (at === -1) return undefined;
  const [entry] = waiting.splice(at, 1);
  earlyGitStats.used++;
  return entry!.child;
}

/** Kills what was started early and never asked for (an unread pipe would keep git, and us, waiting). */
export function dropEarlyGit(): void {
  for (const entry of waiting.splice(0)) {
    entry.child.stdin.destroy();
    entry.child.stdout.destroy();
    entry.child.stderr.destroy();
    entry.child.kill();
  }
}
