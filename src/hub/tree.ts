// Reading and writing trees of commits that are NOT checked out: the hub's main as fetched.
// A transition commit is built in a temporary index (GIT_INDEX_FILE), so no work tree, no
// index and no branch of the user's checkout is touched until the hub has accepted it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Git } from '../git.ts';

export interface TreeEntry {
  mode: string;
  type: string;
  sha: string;
  path: string;
}

/** A file the commit adds or replaces: its content (or an existing blob) at a path. */
export interface FileWrite {
  path: string;
  content?: string | Buffer;
  /** An existing blob instead of content. */
  sha?: string;
  mode?: string;
}

export interface TreeEdits {
  /** Whole folders moved (every entry below `from` goes below `to`, same blob and mode). */
  moves?: { from: string; to: string }[];
  /** Files or whole folders removed. */
  removes?: string[];
  /** Files written last, so they win over moves (e.g. SESSION.md with final notes). */
  writes?: FileWrite[];
  /** Entries of the base tree below the moved/removed paths, when the caller has listed them already. */
  known?: TreeEntry[];
}

const ZERO = '0000000000000000000000000000000000000000';

/** Entries of `treeish` below `paths` (recursive). One git call. */
export async function lsTree(git: Git, treeish: string, paths: readonly string[], recursive = true): Promise<TreeEntry[]> {
  if (paths.length === 0) return [];
  const out = await git.run(['ls-tree', ...(recursive ? ['-r'] : []), '-z', '--full-tree', treeish, '--', ...paths]);
  return out.stdout
    .split('\0')
    .filter(Boolean)
    .map((record) => {
      const tab = record.indexOf('\t');
      const [mode, type, sha] = record.slice(0, tab).split(' ') as [string, string, string];
      return { mode, type, sha, path: record.slice(tab + 1) };
    });
}

/** The text of `path` in `treeish`, or undefined when there is no such file. */
export async function readBlob(git: Git, treeish: string, path: string): Promise<string | undefined> {
  const result = await git.run(['cat-file', 'blob', `${treeish}:${path}`], { okCodes: [128] });
  return result.status === 0 ? result.stdout : undefined;
}

/** Writes blobs for every content in ONE git call; returns their shas in order. */
export async function hashObjects(git: Git, contents: readonly (string | Buffer)[]): Promise<string[]> {
  if (contents.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'as-blobs-'));
  try {
    const files = contents.map((content, i) => {
      const file = join(dir, String(i));
      writeFileSync(file, content);
      return file;
    });
    const out = await git.run(['hash-object', '-w', '--no-filters', '--stdin-paths'], { input: `${files.join('\n')}\n` });
    return out.stdout.trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `baseTree` with `edits` applied, as a new tree object. Nothing checked out changes. */
export async function editTree(git: Git, baseTree: string, edits: TreeEdits): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'as-index-'));
  const env = { ...process.env, GIT_INDEX_FILE: join(dir, 'index') };
  try {
    await git.run(['read-tree', baseTree], { env });
    const lines: string[] = [];
    const moved = edits.known ?? (edits.moves?.length ? await lsTree(git, baseTree, edits.moves.map((m) => m.from)) : []);
    for (const move of edits.moves ?? []) {
      for (const entry of moved) {
        if (entry.path !== move.from && !entry.path.startsWith(`${move.from}/`)) continue;
        lines.push(`0 ${ZERO}\t${entry.path}`);
        lines.push(`${entry.mode} ${entry.sha}\t${move.to}${entry.path.slice(move.from.length)}`);
      }
    }
    const removes = edits.removes ?? [];
    const removed = edits.known ?? (removes.length ? await lsTree(git, baseTree, removes) : []);
    for (const entry of removed) {
      if (removes.some((r) => entry.path === r || entry.path.startsWith(`${r}/`))) lines.push(`0 ${ZERO}\t${entry.path}`);
    }
    const writes = edits.writes ?? [];
    const toHash = writes.filter((w) => w.sha === undefined);
    const shas = await hashObjects(git, toHash.map((w) => w.content ?? ''));
    toHash.forEach((w, i) => (w.sha = shas[i]));
    for (const w of writes) lines.push(`${w.mode ?? '100644'} ${w.sha}\t${w.path}`);
    if (lines.length) await git.run(['update-index', '-z', '--index-info'], { env, input: lines.map((l) => `${l}\0`).join('') });
    return (await git.run(['write-tree'], { env })).stdout.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Identity {
  name: string;
  email: string;
}

/** A commit object on `parents` with `tree`, authored and committed by `identity`. */
export async function commitTree(git: Git, tree: string, parents: readonly string[], message: string, identity: Identity): Promise<string> {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
  };
  const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-F', '-'];
  return (await git.run(args, { env, input: message })).stdout.trim();
}
