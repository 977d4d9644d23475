// sessions.lock: one line per ACTIVE session, `<slug>:<unix-seconds>`. Pure parse/serialise.
// Tolerates CRLF, blank lines, a leading BOM and a missing final newline; anything else on
// a line is an error that names the line number.
import { UsageError } from './errors.ts';
import { slugProblem } from './slug.ts';

export interface LockEntry {
  slug: string;
  /** Unix seconds at which the session was claimed. */
  claimedAt: number;
}

export class LockFileError extends UsageError {
  readonly line: number;
  constructor(line: number, problem: string, file = 'sessions.lock') {
    super('bad-lock-file', `${file} line ${line}: ${problem}`, {
      fix: `repair line ${line} of ${file}: each line must be <slug>:<unix-seconds> for a session in active/`,
      data: { line },
    });
    this.line = line;
  }
}

const LINE = /^([^:\s]+):(\d{1,12})$/;

/**
 * The largest lock file agent-sessions reads (documented in docs/SECURITY.md): a line is about
 * 40 bytes, so 1 MB holds some 25,000 active sessions. A larger one, on disk or as a blob on the
 * hub, is refused (exit 2) before it is split into lines.
 */
export const MAX_LOCK_FILE_BYTES = 1024 * 1024;

export function parseLockFile(text: string, file?: string): LockEntry[] {
  if (text.length > MAX_LOCK_FILE_BYTES) {
    const name = file ?? 'sessions.lock';
    throw new UsageError('file-too-large', `${name} holds ${text.length} characters, more than the ${MAX_LOCK_FILE_BYTES} bytes agent-sessions reads`, {
      fix: `restore ${name} to one <slug>:<unix-seconds> line per active session (git checkout -- ${name})`,
      data: { path: name, limit: MAX_LOCK_FILE_BYTES },
    });
  }
  const entries: LockEntry[] = [];
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split('\n');
  // A plain loop: a history check parses every version of the lock file it meets.
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const lineNo = index + 1;
    const match = LINE.exec(trimmed);
    if (!match) {
      throw new LockFileError(lineNo, `expected <slug>:<unix-seconds>, found ${JSON.stringify(line.slice(0, 120))}`, file);
    }
    const problem = slugProblem(match[1]);
    if (problem) throw new LockFileError(lineNo, problem, file);
    entries.push({ slug: match[1]!, claimedAt: Number(match[2]) });
  }
  return entries;
}

export function serializeLockFile(entries: readonly LockEntry[]): string {
  return entries.map((entry) => `${entry.slug}:${entry.claimedAt}\n`).join('');
}

export function addLockEntry(entries: readonly LockEntry[], entry: LockEntry): LockEntry[] {
  return [...entries.filter((existing) => existing.slug !== entry.slug), entry];
}

export function removeLockEntry(entries: readonly LockEntry[], slug: string): LockEntry[] {
  return entries.filter((existing) => existing.slug !== slug);
}
