// Where `status` and `board` read the sessions: the hub's guarded branch after ONE fetch (the
// default: what `next` and `claim` see), or the checkout's files (`--local`, or when there is
// no hub). Both give the same shape: the session folders, stray names, the lock lines and
// the first bytes of a session's files.
import { closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RepoContext } from './context.ts';
import { BlobReader } from './engine/blob-reader.ts';
import { GitError, RefusedError } from './errors.ts';
import { fetchHubMain, remoteMainRef } from './hub/transaction.ts';
import { fetchHubClaims, isRefsMode, readTrackedClaims } from './hub/claim-refs.ts';
import { lsTree } from './hub/tree.ts';
import { parseLockFile, type LockEntry } from './lockfile.ts';
import { listSessions, readLock, type SessionRef } from './sessions.ts';
import { isSlug } from './slug.ts';
import { isState, STATES, type SessionState } from './states.ts';

export interface SessionsSource {
  /** "hub": the hub's branch as just fetched; "local": the checkout's files. */
  kind: 'hub' | 'local';
  /** The commit read (hub), for history questions such as the board's last commits. */
  rev?: string;
  /** Why the view is not the fresh hub (no remote, unreachable hub). */
  note?: string;
  sessions: SessionRef[];
  strays: string[];
  lock: LockEntry[];
  /** The first 2 KB of `<dir>/<name>`, or undefined. */
  head(dir: string, name: string): string | undefined;
  /** Last change of a folder on disk (local only). */
  mtime(dir: string): number | undefined;
  /** Refs mode: the claimed sessions (active through a claim ref), with the ref's commit. */
  claims?: Map<string, { commit: string; ending?: 'completed' | 'abandoned' }>;
}

const headBuffer = Buffer.alloc(2048);

/** A symlink is not followed and a FIFO does not block (repository data: see src/safe-fs.ts). */
function readHead(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const bytes = readSync(fd, headBuffer, 0, headBuffer.length, 0);
    return headBuffer.toString('utf8', 0, bytes);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function localSource(ctx: RepoContext, note?: string): SessionsSource {
  const { sessions, strays } = listSessions(ctx.layout);
  return {
    kind: 'local',
    ...(note ? { note } : {}),
    sessions,
    strays,
    lock: readLock(ctx.layout),
    head: (dir, name) => readHead(join(ctx.layout.abs(dir), name)),
    mtime: (dir) => {
      try {
        return Math.floor(statSync(ctx.layout.abs(dir)).mtimeMs / 1000);
      } catch {
        return undefined;
      }
    },
  };
}

/** The sessions on `rev` (a commit): one ls-tree, then the few blobs wanted through one cat-file. */
/** Which files of a session folder a view reads (only those are fetched from the hub). */
export type WantedFile = (state: SessionState, name: string) => boolean;

export async function commitSource(ctx: RepoContext, rev: string, wanted: WantedFile): Promise<SessionsSource> {
  const { sessions: root, lockFile } = ctx.layout.rel;
  const entries = await lsTree(ctx.git, rev, [...STATES.map((s) => `${root}/${s}`), lockFile]);
  const found = new Map<string, SessionRef>();
  const strays = new Set<string>();
  const blobs = new Map<string, string>(); // "<dir>/<name>" -> blob id
  let lockSha: string | undefined;
  for (const entry of entries) {
    if (entry.path === lockFile) {
      lockSha = entry.sha;
      continue;
    }
    const parts = entry.path.slice(root.length + 1).split('/');
    const [state, name] = parts;
    if (!state || !name || !isState(state) || parts.length < 3 || name.startsWith('.')) continue;
    const dir = `${root}/${state}/${name}`;
    if (!isSlug(name)) {
      strays.add(dir);
      continue;
    }
    if (!found.has(dir)) found.set(dir, { slug: name, state, dir });
    if (parts.length === 3 && wanted(state, parts[2]!) && entry.type === 'blob') blobs.set(`${dir}/${parts[2]}`, entry.sha);
  }
  const reader = new BlobReader(ctx.root);
  try {
    await reader.fetch([...blobs.values(), ...(lockSha ? [lockSha] : [])]);
    const texts = new Map([...blobs].map(([path, sha]) => [path, reader.get(sha)?.slice(0, 2048)]));
    const lockText = lockSha ? reader.get(lockSha) : undefined;
    return {
      kind: 'hub',
      rev,
      sessions: [...found.values()],
      strays: [...strays],
      lock: lockText === undefined ? [] : parseLockFile(lockText, lockFile),
      head: (dir, name) => texts.get(`${dir}/${name}`),
      mtime: () => undefined,
    };
  } finally {
    reader.close();
  }
}

/**
 * The hub's guarded branch after one fetch. No remote: the checkout, with a note. A hub that
 * does not answer: the last fetched copy when there is one, else the checkout (with a note).
 */
export async function freshSource(ctx: RepoContext, wanted: WantedFile): Promise<SessionsSource> {
  const { remote, mainBranch } = ctx.config.git;
  const hasRemote = (await ctx.git.run(['remote'], { okCodes: [1] })).stdout.split('\n').includes(remote);
  if (!hasRemote) return localSource(ctx, `no remote "${remote}": showing this checkout`);
  const target = { git: ctx.git, remote, mainBranch, retry: ctx.config.claim };
  const refs = isRefsMode(ctx.config);
  try {
    if (refs) {
      const hub = await fetchHubClaims(target);
      return await withClaims(ctx, await commitSource(ctx, hub.main, wanted), hub.claims);
    }
    const rev = await fetchHubMain(target);
    return await commitSource(ctx, rev, wanted);
  } catch (err) {
    if (!(err instanceof RefusedError)) throw err;
    const last = await ctx.git.run(['rev-parse', '-q', '--verify', `${remoteMainRef(target)}^{commit}`], { okCodes: [1] }).catch((e: unknown) => {
      if (e instanceof GitError) return { stdout: '' };
      throw e;
    });
    const rev = last.stdout.trim();
    // Never fetched (a hub without the branch yet, or unreachable from the start): the
    // checkout is all there is to show, and the note says so.
    if (!rev) return localSource(ctx, `${err.message}; showing this checkout`);
    const fetched = await commitSource(ctx, rev, wanted);
    const source = refs ? await withClaims(ctx, fetched, await readTrackedClaims(target)) : fetched;
    return { ...source, note: `${err.message}; showing ${remote}/${mainBranch} as last fetched` };
  }
}

/**
 * Refs mode: a session planned on main whose claim ref exists is shown active, with the
 * holder (.session-env) and claim time (lock line) of the claim ref's commit, read through
 * ONE cat-file for all claims. A claim ref whose session is no longer planned on main (its
 * pull request merged, or the session cancelled) is a leftover and changes nothing.
 */
export async function withClaims(ctx: RepoContext, source: SessionsSource, claims: ReadonlyMap<string, string>): Promise<SessionsSource> {
  const { layout } = ctx;
  const planned = new Map(source.sessions.filter((s) => s.state === 'planned' && claims.has(s.slug)).map((s) => [s.slug, s]));
  if (planned.size === 0) return { ...source, claims: new Map() };
  const names: string[] = [];
  for (const slug of planned.keys()) {
    const sha = claims.get(slug)!;
    // The claim commit (active/) or, after complete, the completion on top of it (completed/).
    names.push(
      `${sha}:${layout.rel.session('active', slug)}/.session-env`,
      `${sha}:${layout.rel.session('completed', slug)}/.session-env`,
      `${sha}:${layout.rel.session('abandoned', slug)}/.session-env`,
      `${sha}:${layout.rel.lockFile}`,
      `${sha}^:${layout.rel.lockFile}`,
    );
  }
  const reader = new BlobReader(ctx.root);
  let objects;
  try {
    objects = await reader.objects(names);
  } finally {
    reader.close();
  }
  const text = (i: number) => objects[i]?.content.toString('utf8');
  const envs = new Map<string, string>();
  const lock = source.lock.filter((e) => !planned.has(e.slug));
  const found = new Map<string, { commit: string; ending?: 'completed' | 'abandoned' }>();
  const sessions = source.sessions.map((s) => (planned.has(s.slug) ? { slug: s.slug, state: 'active' as const, dir: layout.rel.session('active', s.slug) } : s));
  [...planned.keys()].forEach((slug, n) => {
    const i = n * 5;
    // The claim (active/), or the completion or abandonment offered on top of it.
    const ending = text(i) !== undefined ? undefined : text(i + 1) !== undefined ? 'completed' : text(i + 2) !== undefined ? 'abandoned' : undefined;
    found.set(slug, { commit: claims.get(slug)!, ...(ending ? { ending } : {}) });
    const env = text(i) ?? text(i + 1) ?? text(i + 2);
    if (env !== undefined) envs.set(slug, env.slice(0, 2048));
    const lines = parseLockFile(text(i + 3) ?? '', layout.rel.lockFile).concat(ending ? parseLockFile(text(i + 4) ?? '', layout.rel.lockFile) : []);
    const line = lines.find((e) => e.slug === slug);
    if (line) lock.push(line);
  });
  return {
    ...source,
    sessions,
    lock,
    claims: found,
    head: (dir, name) => {
      const slug = dir.slice(dir.lastIndexOf('/') + 1);
      if (!planned.has(slug) || dir !== layout.rel.session('active', slug)) return source.head(dir, name);
      return name === '.session-env' ? envs.get(slug) : source.head(layout.rel.session('planned', slug), name);
    },
  };
}
