// What the shell walk knows at a point of a command line (shell.ts), and what it reports.
import { isAbsolute, resolve } from 'node:path';
import { UNKNOWN, type Variables, type Word } from './words.ts';

export interface ShellCommand {
  /** Program and arguments, wrappers removed. */
  argv: Word[];
  /** Variables in effect: prefix assignments, and every variable set earlier in the line. */
  env: Map<string, string[]>;
  /** Directories it may run in (absolute); UNKNOWN when a `cd` went somewhere unknowable. */
  cwd: string[];
  /** Files its output is redirected into. */
  writes: Array<{ word: Word; cwd: string[] }>;
  /** Arguments are appended or substituted at run time (xargs, find -exec). */
  runtimeArgs: boolean;
  /** The source text of the command, for messages. */
  text: string;
}

export interface ShellAnalysis {
  commands: ShellCommand[];
  /** What the guard could not see (unparseable input, scripts known only at run time). */
  problems: string[];
}

export interface Scope {
  cwd: string[];
  /** Where the last `cd` went (a `cd` not followed by && may also have failed). */
  lastCd?: string[];
  vars: Variables;
  aliases: Map<string, string>;
}

export const copyScope = (s: Scope): Scope => ({ cwd: [...s.cwd], vars: new Map(s.vars), aliases: new Map(s.aliases) });
export const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

/** Resolves a directory word against every possible current directory. */
export function resolveDirs(word: Word | undefined, cwd: string[]): string[] {
  if (!word) return [UNKNOWN];
  if (word.dynamic || word.glob) return [UNKNOWN];
  if (isAbsolute(word.text)) return [resolve(word.text)];
  return [...new Set(cwd.map((dir) => (dir === UNKNOWN ? UNKNOWN : resolve(dir, word.text))))];
}

