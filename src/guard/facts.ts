// The policy's vocabulary, shared by its parts: a finding, the facts the caller supplies.
import { UNKNOWN } from './words.ts';

export interface Finding {
  /** Stable id, e.g. "git-add-all". */
  id: string;
  /** What was seen and why it is refused. */
  reason: string;
  /** What to do instead. */
  fix: string;
}

export interface PolicyFacts {
  mainBranch: string;
  /** Repo-relative sessions folder, e.g. `_AGENTS/sessions`. */
  sessionsPath: string;
  /** The branch checked out in dir (absolute, or relative to the agent's directory). */
  currentBranch(dir: string | undefined): string | undefined;
  /** Absolute directory the command runs in (default: this process's). */
  cwd?: string;
  /** The work tree's root for a directory (default: the nearest parent holding `.git`). */
  topLevel?(dir: string): string | undefined;
  /** `alias.<name>` from the repository's git config, for a name that is not a git command. */
  gitAlias?(name: string, dir: string): string | undefined;
}

export const show = (text: string) => text.replaceAll(UNKNOWN, '$…');

/** Fail closed: what the guard cannot see is refused, saying what it could not see. */
export function unreadable(reason: string): Finding {
  if (reason.startsWith('the shell parser did not load')) {
    return { id: 'shell-unreadable', reason: `${reason}: every shell command is blocked until it does`, fix: 'reinstall agent-sessions (`npm ci`): its dist/ must hold tree-sitter-bash.wasm and web-tree-sitter.wasm' };
  }
  return { id: 'shell-unreadable', reason: `${reason}: the guard cannot tell what it would do, so it is blocked`, fix: 'write the command out literally (no run-time values in git arguments, no scripts built at run time), one step at a time' };
}

