// Reading and writing trees of commits that are NOT checked out: the hub's main as fetched.
// A transition commit's tree is written with git's plumbing (tree-builder.ts: cat-file,
// hash-object, mktree), so no work tree, no index and no branch of the user's checkout is
// touched until the hub has accepted it.
import type { Git } from '../git.ts';
import { TreeBuilder } from './tree-builder.ts';

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

/**
 * `baseTree` with `edits` applied, as a new tree object. Nothing checked out changes. Pass the
 * command's TreeBuilder to share its git processes across retries; without one, a builder
 * lives for this call only.
 */
export async function editTree(git: Git, baseTree: string, edits: TreeEdits, builder?: TreeBuilder): Promise<string> {
  const own = builder ?? new TreeBuilder(git.cwd);
  try {
    return await own.edit(baseTree, edits);
  } finally {
    if (!builder) own.close();
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
