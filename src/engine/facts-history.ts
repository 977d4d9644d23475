// Facts for history checks (pre-push, check, pre-receive): ONE streamed `git log` over the
// range, never a process per commit. The sessions snapshot is kept incrementally (see
// sessions-model.ts) from one `git ls-tree` of the range's base; the few file contents the
// rules need (lock file, .session-env) come through one `git cat-file --batch` process,
// fetched a chunk of commits at a time. `currentSession` is always undefined here:
// history judges each commit by its own message, its parent's tree and its author.
import type { Config } from '../config.ts';
import { gitRecords, gitSync } from '../git.ts';
import { parseSessionEnv } from '../sessions.ts';
import { BlobReader } from './blob-reader.ts';
import { eagerRecords } from './log-stream.ts';
import { fresh, SessionsModel, type HistoryChange } from './sessions-model.ts';
import type { Facts, Identity, RunPoint } from './types.ts';

export interface HistoryCommit {
  sha: string;
  parents: string[];
  author: Identity;
  committer: Identity;
  message: string;
  changes: HistoryChange[];
}

export interface WalkOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  config: Config;
  runPoint: RunPoint;
  /** Revision arguments for `git log` (e.g. ['A..B'], ['HEAD'], ['<new>', '^<old>']). */
  revs: readonly string[];
  /** Whether the commits reach main (the rules may judge main more strictly). */
  onMain: boolean;
  /** Called every `progressEvery` commits with the count so far. */
  onProgress?: (count: number) => void;
}

const FORMAT = '--format=%x01%H %P%x00%an%x00%ae%x00%cn%x00%ce%x00%B';
const CHUNK = 64;
const SLICE = 10_000;
const ZERO_ID = /^0+$/;

/** Parses one record of the log format above (without its leading \x01). */
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

/** Loads the sessions part of `rev`'s tree into `model` (one ls-tree). */
export function loadTree(model: SessionsModel, rev: string | undefined, cwd: string, env?: NodeJS.ProcessEnv): void {
  model.reset();
  if (rev === undefined) return;
  const out = gitSync(['ls-tree', '-r', '-z', '--full-tree', rev, '--', model.sessionsPrefix.slice(0, -1), model.lockPath], { cwd, env });
  const changes: HistoryChange[] = [];
  for (const entry of out.split('\0')) {
    if (!entry) continue;
    const tab = entry.indexOf('\t');
    const [mode, , id] = entry.slice(0, tab).split(' ');
    changes.push({ status: 'A', path: entry.slice(tab + 1), mode, newId: id });
  }
  model.apply(model.deltaOf(changes), rev);
}

// The small files rules read in history: the lock file, and a session folder's .session-env
// (attribution) and SESSION.md (session-md-readonly). Anything else is read on demand.
function isInteresting(model: SessionsModel, path: string): boolean {
  return path === model.lockPath || (path.startsWith(model.sessionsPrefix) && (path.endsWith('/.session-env') || path.endsWith('/SESSION.md')));
}

/** Walks the commits of `revs` oldest first and yields each one's Facts. */
export async function* walkHistory(options: WalkOptions): AsyncGenerator<Facts> {
  const { cwd, env, config } = options;
  const model = new SessionsModel(config.paths.sessions, config.paths.lockFile);
  const blobs = new BlobReader(cwd, env);
  const read = (id: string) => blobs.get(id);
  const identities = new Map<string, Identity | undefined>();
  let count = 0;

  const identityOf = (id: string | undefined): Identity | undefined => {
    if (id === undefined) return undefined;
    if (!identities.has(id)) {
      const text = blobs.get(id);
      const values = text === undefined ? {} : parseSessionEnv(text);
      const name = values.GIT_AUTHOR_NAME;
      const email = values.GIT_AUTHOR_EMAIL;
      identities.set(fresh(id), name !== undefined || email !== undefined ? { name: name ?? '', email: email ?? '' } : undefined);
    }
    return identities.get(id);
  };

  async function prepare(commits: HistoryCommit[]): Promise<void> {
    const ids: string[] = [];
    for (const commit of commits) {
      for (const change of commit.changes) {
        if (change.newId && !ZERO_ID.test(change.newId) && isInteresting(model, change.path)) ids.push(change.newId);
        if (change.oldId && !ZERO_ID.test(change.oldId) && isInteresting(model, change.from ?? change.path)) ids.push(change.oldId);
      }
    }
    await blobs.fetch(ids);
  }

  async function* judge(commits: HistoryCommit[]): AsyncGenerator<Facts> {
    await prepare(commits);
    for (const commit of commits) {
      const parent = commit.parents[0];
      if (model.head !== parent || (parent === undefined && model.head !== undefined)) {
        // A branch point (or the range's base): one ls-tree rebuilds the snapshot there.
        loadTree(model, parent, cwd, env);
        await blobs.fetch([...(model.lockId ? [model.lockId] : []), ...model.envIds.values()]);
      }
      const delta = model.deltaOf(commit.changes);
      // Path -> change, built only when a rule reads a file.
      let byPathMap: Map<string, HistoryChange> | undefined;
      const byPath = {
        get(path: string): HistoryChange | undefined {
          if (!byPathMap) {
            byPathMap = new Map();
            for (const change of commit.changes) byPathMap.set(change.path, change);
          }
          return byPathMap.get(path);
        },
      };
      const before = model.snapshot(read);
      let after: ReturnType<SessionsModel['snapshot']> | undefined;
      const readAt = (rev: string | undefined, path: string, id: string | undefined): string | undefined => {
        if (id !== undefined) return ZERO_ID.test(id) ? undefined : blobs.get(id);
        if (rev === undefined) return undefined;
        try {
          return gitSync(['cat-file', 'blob', `${rev}:${path}`], { cwd, env });
        } catch {
          return undefined;
        }
      };
      const facts: Facts = {
        runPoint: options.runPoint,
        config,
        message: commit.message,
        currentSession: undefined,
        branch: undefined,
        changes: commit.changes,
        before,
        after: () => (after ??= model.snapshot(read, delta)),
        untracked: () => [],
        commit: { sha: commit.sha, parents: commit.parents, author: commit.author, committer: commit.committer, onMain: options.onMain },
        sessionIdentity: (slug) => identityOf(model.envIds.get(slug)),
        readBefore: (path) => {
          const change = byPath.get(path);
          if (change && (change.status === 'A' || change.status === 'R' || change.status === 'C')) return undefined;
          const renamedFrom = change ? undefined : commit.changes.find((c) => c.from === path && c.status === 'R');
          return readAt(parent, path, change ? change.oldId : renamedFrom?.oldId);
        },
        readAfter: (path) => readAt(commit.sha, path, byPath.get(path)?.newId ?? (commit.changes.some((c) => c.from === path) ? '0' : undefined)),
      };
      // Commits made before the repository adopted the protocol (the parent has no sessions
      // folder; the adoption commit included) are not judged.
      if (model.layoutFiles > 0) yield facts;
      const oldLock = model.lockId;
      model.apply(delta, commit.sha);
      if (oldLock && oldLock !== model.lockId) blobs.forget(oldLock);
      count++;
      if (options.onProgress && count % 1000 === 0) options.onProgress(count);
      // Give the event loop a turn now and then, so git's output keeps being read (and git
      // keeps working on the other core) while the rules run.
      if (count % 64 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // Keep only what later commits may ask for: the active sessions' identities and the lock.
    blobs.retainOnly(new Set([...model.envIds.values(), ...(model.lockId ? [model.lockId] : [])]));
  }

  // The order comes from one `git rev-list` (ids only); the commits with their changes from
  // `git log --no-walk=unsorted --stdin`, one process per SLICE of ids. One git log over the
  // whole range would do too, but its object cache grows with the history (about 200 MB at
  // 100,000 commits); slices keep git's memory, like ours, flat.
  // git keeps up to 96 MB of delta bases by default; the big state-folder trees of a long
  // history fill it, for no gain in speed here (measured): cap it so memory stays flat.
  const logArgs = ['-c', 'core.deltaBaseCacheLimit=16m', 'log', '--no-walk=unsorted', '--stdin', '-z', '--raw', '-M', '--no-abbrev', '--diff-merges=first-parent', FORMAT, '--'];
  async function* commitsOf(ids: string[]): AsyncGenerator<HistoryCommit> {
    for await (const record of eagerRecords(logArgs, { cwd, ...(env ? { env } : {}), separator: '\x01', input: `${ids.join('\n')}\n` })) {
      const commit = parseLogRecord(record);
      if (commit) yield commit;
    }
  }
  try {
    let chunk: HistoryCommit[] = [];
    let ids: string[] = [];
    const drain = async function* (): AsyncGenerator<Facts> {
      for await (const commit of commitsOf(ids)) {
        chunk.push(commit);
        if (chunk.length >= CHUNK) {
          yield* judge(chunk);
          chunk = [];
        }
      }
      ids = [];
    };
    for await (const line of gitRecords(['rev-list', '--reverse', '--topo-order', ...options.revs, '--'], { cwd, env })) {
      if (line) ids.push(line);
      if (ids.length >= SLICE) yield* drain();
    }
    if (ids.length > 0) yield* drain();
    if (chunk.length > 0) yield* judge(chunk);
  } finally {
    blobs.close();
  }
}
