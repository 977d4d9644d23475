// One commit as `git log -z --raw` prints it in the format below: the ids, the identities,
// the message and the raw change entries. Pure parsing, no git.
import type { HistoryChange } from './sessions-model.ts';
import type { Identity } from './types.ts';
import { RefusedError } from '../errors.ts';

export interface HistoryCommit {
  sha: string;
  parents: string[];
  author: Identity;
  committer: Identity;
  message: string;
  changes: HistoryChange[];
}

/**
 * The longest record read, in characters (64 Mi: a commit that changes ~400,000 files, or a
 * message of that size). V8 cannot hold a string past ~512 Mi characters: a 540 MB message,
 * a few hundred KB packed, ended a check in a stack trace after a minute and 1 GB of memory.
 */
export const MAX_RECORD = 64 * 1024 * 1024;

/** The git log format parseLogRecord reads: every record starts with \x01. */
export const LOG_FORMAT = '--format=%x01%H %P%x00%an%x00%ae%x00%cn%x00%ce%x00%B';

/** Parses one record of LOG_FORMAT (without its leading \x01). */
export function parseLogRecord(record: string): HistoryCommit | undefined {
  // Header: "<sha> <parents...>\0<an>\0<ae>\0<cn>\0<ce>\0<message>\0", then the raw lines.
  const cut: number[] = [];
  let at = 0;
  for (let i = 0; i < 6; i++) {
    const end = record.indexOf('\0', at);
    if (end === -1) break;
    cut.push(end);
    at = end + 1;
  }
  if (cut.length < 5) return undefined;
  const ids = record.slice(0, cut[0]).trim();
  if (!ids) return undefined;
  const space = ids.indexOf(' ');
  const sha = space === -1 ? ids : ids.slice(0, space);
  const parents = space === -1 ? [] : ids.slice(space + 1).split(' ').filter(Boolean);
  const field = (i: number) => record.slice(cut[i - 1]! + 1, cut[i]);
  const message = cut.length > 5 ? field(5) : record.slice(cut[4]! + 1);
  const changes: HistoryChange[] = [];
  let pos = cut.length > 5 ? cut[5]! + 1 : record.length;
  while (pos < record.length) {
    // A raw entry: ":<old mode> <new mode> <old id> <new id> <status>\0<path>\0[<path>\0]"
    let metaEnd = record.indexOf('\0', pos);
    if (metaEnd === -1) metaEnd = record.length;
    let start = pos;
    while (start < metaEnd && record.charCodeAt(start) === 10) start++;
    if (record.charCodeAt(start) !== 58) {
      pos = metaEnd + 1;
      continue;
    }
    const s1 = record.indexOf(' ', start);
    const s2 = record.indexOf(' ', s1 + 1);
    const s3 = record.indexOf(' ', s2 + 1);
    const s4 = record.indexOf(' ', s3 + 1);
    const letter = record[s4 + 1] ?? 'M';
    const change: HistoryChange = { status: letter, path: '', mode: record.slice(s1 + 1, s2), oldId: record.slice(s2 + 1, s3), newId: record.slice(s3 + 1, s4) };
    let next = record.indexOf('\0', metaEnd + 1);
    if (next === -1) next = record.length;
    if (letter === 'R' || letter === 'C') {
      change.from = record.slice(metaEnd + 1, next);
      const after = next + 1;
      next = record.indexOf('\0', after);
      if (next === -1) next = record.length;
      change.path = record.slice(after, next);
    } else change.path = record.slice(metaEnd + 1, next);
    changes.push(change);
    pos = next + 1;
  }
  return { sha, parents, author: { name: field(1), email: field(2) }, committer: { name: field(3), email: field(4) }, message, changes };
}

/**
 * The records of one git log over `ids` (--no-walk=unsorted: printed in that order), checked
 * against them. A \x01 in a message, a name or a layout path cuts a record in two, and the part
 * after it is no commit's record: the history is refused, never judged with that part (the
 * rest of the commit's changes) skipped.
 */
export class LogRecords {
  private next = 0;
  private started = false;
  constructor(private readonly ids: readonly string[]) {}

  /** The commit of the next record; undefined for the empty text before git's first one. */
  take(record: string): HistoryCommit | undefined {
    if (!this.started) {
      this.started = true;
      if (record === '') return undefined;
    }
    const commit = parseLogRecord(record);
    // The record cut is the one before this part (or, first of all, this one).
    if (!commit || commit.sha !== this.ids[this.next]) throw unreadable(this.ids[Math.max(this.next - 1, 0)]);
    this.next++;
    return commit;
  }

  /** The refusal of a record too large to read: the commit it was to be is named. */
  tooLarge(): RefusedError {
    const commit = this.ids[this.next];
    return new RefusedError('record-too-large', `git log's record of ${commit ? `commit ${commit.slice(0, 12)}` : 'the range'} is over ${MAX_RECORD / 1024 / 1024} Mi characters (its message or its changes): too large to judge`, {
      fix: 'split the commit into smaller ones (git rebase -i: edit), then push or check again',
    });
  }

  /** Throws unless every id had its record. */
  end(): void {
    if (this.next !== this.ids.length) throw unreadable(this.ids[this.next]);
  }
}

function unreadable(commit: string | undefined): RefusedError {
  return new RefusedError('unreadable-history', `git log's record of ${commit ? `commit ${commit.slice(0, 12)}` : 'the range'} is cut by a \\x01 (in its message, a name or a path of the layout): the history cannot be judged`, {
    fix: 'rewrite the commit without the \\x01 character (git rebase -i: reword, or rename the file), then push or check again',
  });
}
