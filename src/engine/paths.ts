// Classifies a repo-relative path by what it means to the protocol: a file of some session's
// folder, a session's learnings, canonical knowledge, isolation folders (.worktrees/,
// .sessions/), the lock file... Pure string work on the configured paths (no I/O), shared by
// the commit-time rules and the history checks so both read paths the same way.
import type { Config } from '../config.ts';
import { isSlug } from '../slug.ts';
import { isState, type SessionState } from '../states.ts';

export type PathClass =
  /** Inside `<sessions>/<state>/<slug>/`; `file` is the path inside that folder ('' = the folder). */
  | { kind: 'session'; state: SessionState; slug: string; file: string }
  /** Under a state folder but not inside a valid slug folder (e.g. `planned/.gitkeep`, `planned/Bad Name/x`). */
  | { kind: 'state-folder'; state: SessionState; name: string }
  /** `<sessions>/sessions.lock` (or wherever paths.lockFile points). */
  | { kind: 'lock-file' }
  /** Elsewhere under `<sessions>/`: SESSIONS-README.md, _bin/, _templates/, .gitkeep. */
  | { kind: 'sessions-meta'; file: string }
  /** `<knowledge>/sessions/<slug>/...`: one session's learnings. */
  | { kind: 'learnings'; slug: string; file: string }
  /** Anything else under `<knowledge>/`: the canonical knowledge base. */
  | { kind: 'knowledge'; file: string }
  /** Under the worktrees folder (default `.worktrees/`). */
  | { kind: 'worktrees'; file: string }
  /** Under the clones folder (default `.sessions/`). */
  | { kind: 'clones'; file: string }
  | { kind: 'other' };

/** `rest` when `path` is `dir` itself ('') or inside it, else undefined. */
export function under(path: string, dir: string): string | undefined {
  if (path === dir) return '';
  return path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : undefined;
}

/** The files a session folder holds (its `<slug>.patch` aside): case-twins guards their spellings, the hub's tree check their attributes. */
export const SESSION_FILES: readonly string[] = ['SESSION.md', 'worklog.md', 'active-plan.md', 'subsessions.md', '.session-env', 'drift.md'];

export function classifyPath(path: string, config: Config): PathClass {
  return classify(path, config);
}

function classify(path: string, config: Config): PathClass {
  const { sessions, knowledge, worktrees, clones, lockFile } = config.paths;
  if (path === lockFile) return { kind: 'lock-file' };
  const inWorktrees = under(path, worktrees);
  if (inWorktrees !== undefined) return { kind: 'worktrees', file: inWorktrees };
  const inClones = under(path, clones);
  if (inClones !== undefined) return { kind: 'clones', file: inClones };
  const inSessions = under(path, sessions);
  if (inSessions !== undefined) {
    const [first = '', second, ...rest] = inSessions.split('/');
    if (isState(first) && second !== undefined) {
      if (isSlug(second)) return { kind: 'session', state: first, slug: second, file: rest.join('/') };
      return { kind: 'state-folder', state: first, name: [second, ...rest].join('/') };
    }
    return { kind: 'sessions-meta', file: inSessions };
  }
  const inKnowledge = under(path, knowledge);
  if (inKnowledge !== undefined) {
    const [first, second, ...rest] = inKnowledge.split('/');
    if (first === 'sessions' && second !== undefined && isSlug(second)) return { kind: 'learnings', slug: second, file: rest.join('/') };
    return { kind: 'knowledge', file: inKnowledge };
  }
  return { kind: 'other' };
}

/**
 * Whether any change adds, changes, removes or renames a path under `folder` (spelled with its
 * trailing '/'): one prefix test per path, so the rules about session folders settle the
 * commits that touch none (most of them) before classifying anything.
 */
export function changesUnder(changes: readonly { path: string; from?: string | undefined }[], folder: string): boolean {
  for (const change of changes) {
    if (change.path.startsWith(folder) || (change.from !== undefined && change.from.startsWith(folder))) return true;
  }
  return false;
}

/** The session a path belongs to (its folder or its learnings), if any. */
export function owningSession(path: string, config: Config): string | undefined {
  const c = classifyPath(path, config);
  return c.kind === 'session' || c.kind === 'learnings' ? c.slug : undefined;
}

export function baseName(path: string): string {
  const at = path.lastIndexOf('/');
  return at === -1 ? path : path.slice(at + 1);
}

/** `.gitkeep` placeholders: the layout adoption commit adds them everywhere, and they carry no content. */
export function isGitkeep(path: string): boolean {
  return baseName(path) === '.gitkeep';
}

/** A session folder's `.session-env` (the identity claim writes). */
export function isSessionEnv(c: PathClass): boolean {
  return c.kind === 'session' && c.file === '.session-env';
}

/** SESSION.md directly in a session folder. */
export function isSessionMd(c: PathClass): c is Extract<PathClass, { kind: 'session' }> {
  return c.kind === 'session' && c.file === 'SESSION.md';
}

/** True for a kb- (knowledge merge) session, the only kind that may write canonical knowledge. */
export function isKbSlug(slug: string): boolean {
  return slug.startsWith('kb-');
}

/**
 * The layout's own paths, the ones the package reads and writes on every teammate's machine:
 * the sessions folder, the knowledge folder and the lock file.
 */
export function layoutRoots(config: Config): string[] {
  const { sessions, knowledge, lockFile } = config.paths;
  return [sessions, knowledge, lockFile];
}

/**
 * One part of a path as a case-insensitive file system stores it: NFC (APFS ignores the
 * normalization) and without the code points HFS+ ignores (zero-width joiners, direction
 * marks, U+FEFF), folded through upper case (so `ſ` and `ı` meet `s` and `i`, and the Kelvin
 * sign `k`, as NTFS's and APFS's tables fold them), trailing dots and spaces dropped (Windows
 * drops them). JS `toLowerCase` alone leaves `ſ` and `ı` as they are.
 */
export function foldPart(part: string): string {
  // ASCII folds by toLowerCase alone and is already NFC: the common path's parts skip the rest.
  const lowered = ASCII.test(part) ? part.toLowerCase() : foldUnicode(part.replace(HFS_IGNORED, '').normalize('NFC'));
  const last = lowered.charCodeAt(lowered.length - 1);
  return last === 0x2e || last === 0x20 ? lowered.replace(/[. ]+$/, '') : lowered;
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * Simple case folding, character by character: through upper case where that is one
 * character (`ſ` -> S -> s), else lower case alone. `ß` stays `ß` (its upper case is two
 * letters, `SS`, and no file system here folds it onto `ss`).
 */
function foldUnicode(text: string): string {
  let out = '';
  for (const char of text) {
    const upper = char.toUpperCase();
    out += [...upper].length === 1 ? upper.toLowerCase() : char.toLowerCase();
  }
  return out;
}
/** Code points HFS+ ignores in a name (git's next_hfs_char): `ma\u200cin` is the file `main` there. */
const HFS_IGNORED = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;
/** `path` with every part folded (foldPart). */
export const foldPath = (path: string): string => path.split('/').map(foldPart).join('/');

/**
 * When `path` is `root` or lies under it as a case-insensitive file system sees it
 * (`rootFolded` is foldPath(root)): what follows the root in `path` ('' or '/...'); else
 * undefined. On such a system `_AGENTS/Sessions/x` or `_AGENTS/ſessions/x` checks out into the
 * sessions folder. An ASCII first character is compared before any string is made: most paths
 * of a commit start elsewhere.
 */
export function foldedRest(path: string, root: string, rootFolded: string): string | undefined {
  if (path.startsWith(root) && (path.length === root.length || path.charCodeAt(root.length) === 0x2f)) return path.slice(root.length);
  const first = path.charCodeAt(0);
  const rootFirst = root.charCodeAt(0);
  if (first < 0x80 && rootFirst < 0x80 && (first | 0x20) !== (rootFirst | 0x20)) return undefined;
  // Part by part, folding each only when the parts before it matched: most paths part ways early.
  let end = -1;
  for (const wanted of rootFolded.split('/')) {
    const start = end + 1;
    if (start > path.length) return undefined;
    end = path.indexOf('/', start);
    if (end === -1) end = path.length;
    if (foldPart(path.slice(start, end)) !== wanted) return undefined;
  }
  return path.slice(end);
}

/** True when `path` is `root` or lies under it as a case-insensitive file system sees it (foldedRest). */
export const foldedUnder = (path: string, root: string, rootFolded: string): boolean => foldedRest(path, root, rootFolded) !== undefined;

/** True when `path` is `root` or lies under it, byte for byte. */
export const exactlyUnder = (path: string, root: string): boolean => path === root || (path.startsWith(root) && path.charCodeAt(root.length) === 0x2f);
