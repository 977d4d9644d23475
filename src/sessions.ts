// Session folders on disk: find, list, read. State is the folder a session lives in.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors.ts';
import type { Layout } from './layout.ts';
import { MAX_LOCK_FILE_BYTES, parseLockFile, type LockEntry } from './lockfile.ts';
import { readBounded } from './safe-fs.ts';
import { isSlug } from './slug.ts';
import { STATES, type SessionState } from './states.ts';

export interface SessionRef {
  slug: string;
  state: SessionState;
  /** Repo-relative folder. */
  dir: string;
}

/** Every session folder, by state. Entries that are not valid slugs are returned apart. */
export function listSessions(layout: Layout): { sessions: SessionRef[]; strays: string[] } {
  const sessions: SessionRef[] = [];
  const strays: string[] = [];
  for (const state of STATES) {
    const rel = layout.rel.state(state);
    let names: string[];
    try {
      names = readdirSync(layout.abs(rel));
    } catch {
      continue;
    }
    for (const name of names) {
      if (name === '.gitkeep' || name.startsWith('.')) continue;
      if (!isSlug(name)) {
        strays.push(`${rel}/${name}`);
        continue;
      }
      sessions.push({ slug: name, state, dir: `${rel}/${name}` });
    }
  }
  return { sessions, strays };
}

/** Where `slug` lives now; UsageError if it lives in two state folders at once. */
export function findSession(layout: Layout, slug: string): SessionRef | undefined {
  const found: SessionRef[] = [];
  for (const state of STATES) {
    const dir = layout.rel.session(state, slug);
    if (existsSync(layout.abs(dir)) && statSync(layout.abs(dir)).isDirectory()) found.push({ slug, state, dir });
  }
  if (found.length > 1) {
    throw new UsageError('session-in-two-states', `session ${slug} exists in ${found.map((f) => f.state).join(' and ')} at once`, {
      fix: `keep one folder: git rm -r the stale copy under ${found.map((f) => f.dir).join(' or ')} and commit`,
    });
  }
  return found[0];
}

export function requireSession(layout: Layout, slug: string, expected?: readonly SessionState[]): SessionRef {
  const session = findSession(layout, slug);
  if (!session) {
    throw new UsageError('no-such-session', `no session named ${slug} under ${layout.rel.sessions}/`, {
      fix: 'run `agent-sessions status` to list the sessions',
    });
  }
  if (expected && !expected.includes(session.state)) {
    throw new UsageError('wrong-state', `session ${slug} is ${session.state}, not ${expected.join(' or ')}`, {
      fix: 'run `agent-sessions status` to see where it stands',
      data: { state: session.state },
    });
  }
  return session;
}

/**
 * The largest session file (SESSION.md, worklog.md...) the package reads. It and the lock
 * file (MAX_LOCK_FILE_BYTES) are refused (exit 2) from their size alone, before any is read.
 */
export const MAX_SESSION_FILE_BYTES = 1024 * 1024;

const tooLarge = (rel: string, limit: number, what: string) => (size: number) =>
  new UsageError('file-too-large', `${rel} is ${size > limit ? `${size} bytes, larger than the ${limit} bytes agent-sessions reads` : 'not a plain file'}`, {
    fix: `${what}, then run the command again (docs/SECURITY.md lists the limits)`,
    data: { path: rel, size, limit },
  });

export function readLock(layout: Layout): LockEntry[] {
  const rel = layout.rel.lockFile;
  let text: string | undefined;
  try {
    text = readBounded(layout.abs(rel), MAX_LOCK_FILE_BYTES, tooLarge(rel, MAX_LOCK_FILE_BYTES, `restore ${rel} to one <slug>:<unix-seconds> line per active session (git checkout -- ${rel})`));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // a directory or an unreadable file is bad input (exit 2), never a crash
    throw new UsageError('bad-lock-file', `${rel} cannot be read: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, {
      fix: `make ${rel} a plain file with one <slug>:<unix-seconds> line per active session`,
    });
  }
  return text === undefined ? [] : parseLockFile(text, rel);
}

/** A file of a session folder, or undefined when it is missing or unreadable; exit 2 when it is too large. */
export function readSessionFile(layout: Layout, session: SessionRef, name: string): string | undefined {
  const rel = `${session.dir}/${name}`;
  try {
    return readBounded(layout.abs(rel), MAX_SESSION_FILE_BYTES, tooLarge(rel, MAX_SESSION_FILE_BYTES, `shorten ${rel} (or restore it with git checkout -- ${rel})`));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    return undefined;
  }
}

/**
 * Parses `.session-env` (as written by claim) back into its values without a shell.
 * Values are sequences of '...' and \x pieces and plain characters, which may span lines
 * inside quotes (a name holding a newline stays one value).
 */
export function parseSessionEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const n = text.length;
  while (i < n) {
    // skip blank space and comment lines
    while (i < n && /\s/.test(text[i]!)) i++;
    if (text[i] === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const rest = text.slice(i);
    const head = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=/.exec(rest);
    if (!head) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    i += head[0].length;
    let value = '';
    while (i < n && !/[\s;]/.test(text[i]!)) {
      const ch = text[i]!;
      if (ch === "'") {
        const end = text.indexOf("'", i + 1);
        const stop = end === -1 ? n : end;
        value += text.slice(i + 1, stop);
        i = stop + 1;
      } else if (ch === '\\' && i + 1 < n) {
        value += text[i + 1];
        i += 2;
      } else {
        value += ch;
        i += 1;
      }
    }
    out[head[1]!] = value;
    while (i < n && text[i] !== '\n') i++;
  }
  return out;
}

/** The only variables `.session-env` may set: the session and the git identity. */
export const SESSION_ENV_NAMES: readonly string[] = ['SESSION_SLUG', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL'];

/**
 * Why `text` is not inert, or undefined when sourcing it can only assign variables: every
 * line is blank, a comment, or `[export ]NAME=<value>` where the value is made of '...'
 * pieces, backslash escapes and plain safe characters. A template override that adds a
 * command, a $(...) or an unquoted expansion is caught here, whatever the values round-trip to.
 * NAME must be one of SESSION_ENV_NAMES: an inert assignment to GIT_CONFIG_*, PROMPT_COMMAND,
 * PATH or BASH_ENV still changes what the next git or shell does once the file is sourced.
 */
export function sessionEnvProblem(text: string): string | undefined {
  let i = 0;
  const n = text.length;
  const lineNo = () => text.slice(0, i).split('\n').length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '\n' || ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const head = /^(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)=/.exec(text.slice(i, i + 200));
    if (!head) return `line ${lineNo()} is not an assignment`;
    if (!SESSION_ENV_NAMES.includes(head[1]!)) return `line ${lineNo()} sets ${head[1]}; only ${SESSION_ENV_NAMES.join(', ')} may be set`;
    i += head[0].length;
    while (i < n && !/[ \t\n]/.test(text[i]!)) {
      const c = text[i]!;
      if (c === "'") {
        const end = text.indexOf("'", i + 1);
        if (end === -1) return `line ${lineNo()} has an unterminated quote`;
        i = end + 1;
      } else if (c === '\\' && i + 1 < n && text[i + 1] !== '\n') {
        i += 2;
      } else if (/[A-Za-z0-9@%+=:,./_-]/.test(c)) {
        i++;
      } else {
        return `line ${lineNo()} holds an unquoted ${JSON.stringify(c)}`;
      }
    }
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i < n && text[i] !== '\n' && text[i] !== '#') return `line ${lineNo()} has more than one word`;
  }
  return undefined;
}

/** POSIX single-quoting: the result is always one literal word for sh. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
