// Which branch the protocol guards: the hub's default branch (what `git clone` checks out),
// else the branch checked out here, else "main". Asked once, by `init`, and written into the
// config; every command then reads `git.mainBranch`.
import { gitSync } from './git.ts';

export interface DetectedBranch {
  name: string;
  /** Where it was read: "hub" (ls-remote --symref), "current branch", or "default". */
  source: 'hub' | 'current branch' | 'default';
}

const SAFE = /^[A-Za-z0-9._/-]{1,100}$/;

function usable(name: string | undefined): name is string {
  // The config schema's own rule for git names; anything else falls through to the next source.
  return !!name && SAFE.test(name) && !name.startsWith('-') && !name.includes('..');
}

function tryGit(args: string[], cwd: string): string | undefined {
  try {
    return gitSync(args, { cwd, timeoutMs: 10_000, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }).trim();
  } catch {
    return undefined;
  }
}

export function detectMainBranch(root: string, remote: string, sessionPrefix = 'session/'): DetectedBranch {
  if (tryGit(['remote', 'get-url', remote], root)) {
    // "ref: refs/heads/<name>\tHEAD" is the hub's symbolic HEAD.
    const out = tryGit(['ls-remote', '--symref', remote, 'HEAD'], root) ?? '';
    const name = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(out)?.[1];
    if (usable(name)) return { name, source: 'hub' };
  }
  const current = tryGit(['symbolic-ref', '-q', '--short', 'HEAD'], root);
  // A session branch is never the guarded one (init run from a session worktree).
  if (usable(current) && !current.startsWith(sessionPrefix)) return { name: current, source: 'current branch' };
  return { name: 'main', source: 'default' };
}
