// Trees no git writes: entries out of git's order, a name twice, an empty name, ".", "..",
// ".git" or a name with a "/". A push can carry them (git accepts any object unless the hub
// sets receive.fsckObjects), and git's own readers then disagree on what such a tree holds:
// `ls-tree` and the diffs the hub reads stop or pair entries by order, a checkout writes one
// of two same-named entries. On main, that lets a config the hub validated differ from the
// one every teammate's checkout loads, or a session sit in two states at once. The hub reads
// the policy and the sessions from a few trees only, so it checks those (the root, the folders
// down to the sessions, knowledge and lock paths, and every tree under the sessions and
// knowledge folders), and of them only the ones main's old tip did not hold already. A file
// entry there must name a blob (git takes a tag, which its readers follow and a checkout does
// not), the root's config and package.json must be files, and a .gitattributes there (or at
// the root) may not re-encode what a checkout writes of them (attributes.ts).
import type { CatFileObject } from '../engine/cat-file.ts';
import type { Config } from '../config.ts';
import { CONFIG_FILE } from '../config-file.ts';
import { PACKAGE_JSON } from './paths.ts';
import { SESSION_FILES } from '../engine/paths.ts';
import { attributesProblem, type ReadNames } from './attributes.ts';

const POLICY_FILES = [CONFIG_FILE, PACKAGE_JSON];
const FILE_MODES = new Set(['100644', '100755', '100664']);
const ATTRIBUTES = '.gitattributes';
/** The names of the files a session, the templates and the wrappers hold (what a root .gitattributes may reach). */
const SESSION_FILE_NAMES = [...SESSION_FILES, '2025-01-01-x.patch', 'learnings.md', 'SESSIONS-README.md', 'claim-session', 'complete-session', '.gitkeep', 'SESSION.md.j2', 'session-env.j2', 'worklog.md.j2'];
/** Objects per cat-file round trip when types are checked (their contents come along: bounded). */
const TYPE_CHECKS = 256;

export interface TreeEntry {
  name: string;
  /** The name's bytes as latin1 (a name need not be UTF-8). */
  raw: string;
  /** As the tree spells it (40000, 100644...). */
  mode: string;
  id: string;
  folder: boolean;
}

/** The modes git writes (and 040000 and 100664, which old gits wrote and git still reads). */
const MODES = new Set(['40000', '040000', '100644', '100755', '100664', '120000', '160000']);

/**
 * A mode as git reads it (tree-walk.c): octal digits into 32 bits, wrapping, so that a mode of
 * 26 digits may still be a folder to git.
 */
function modeOf(text: string): number | undefined {
  let mode = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 7) return undefined;
    mode = ((mode << 3) + digit) >>> 0;
  }
  return text.length > 0 ? mode : undefined;
}

const isFolderMode = (mode: number): boolean => (mode & 0o170000) === 0o040000;

/**
 * The entries of a raw tree as git lists them, whatever their order, names or modes (the old
 * tip of main, accepted before); stops at an entry that cannot be read.
 */
export function listTree(tree: Buffer, idBytes: number): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (let at = 0; at < tree.length; ) {
    const space = tree.indexOf(0x20, at);
    const nul = space === -1 ? -1 : tree.indexOf(0, space + 1);
    const mode = space === -1 ? undefined : modeOf(tree.toString('latin1', at, space));
    if (mode === undefined || nul === -1 || nul + 1 + idBytes > tree.length) break;
    entries.push({ name: tree.toString('utf8', space + 1, nul), raw: tree.toString('latin1', space + 1, nul), id: tree.toString('hex', nul + 1, nul + 1 + idBytes), folder: isFolderMode(mode), mode: tree.toString('latin1', at, space) });
    at = nul + 1 + idBytes;
  }
  return entries;
}

/** The entries of a raw tree, or why git would not have written it. Pure. */
export function parseTree(tree: Buffer, idBytes: number): { entries: TreeEntry[] } | { problem: string } {
  const entries: TreeEntry[] = [];
  const seen = new Set<string>();
  let previous: { start: number; end: number; folder: boolean } | undefined;
  // Entries: "<mode> <name>\0<id bytes>", in git's order (a folder's name compared as "<name>/").
  for (let at = 0; at < tree.length; ) {
    const space = tree.indexOf(0x20, at);
    const nul = space === -1 ? -1 : tree.indexOf(0, space + 1);
    if (space <= at || nul === -1 || nul + 1 + idBytes > tree.length) return { problem: 'an entry that cannot be read' };
    const mode = tree.toString('latin1', at, space);
    // Only the modes git writes: a 26-digit mode that wraps to a folder's would be a folder to
    // git and a file to a reader that takes it as a number.
    if (!MODES.has(mode)) return { problem: `a mode git does not write (${JSON.stringify(mode)})` };
    const folder = isFolderMode(modeOf(mode)!);
    const name = tree.toString('utf8', space + 1, nul);
    const bad = nameProblem(tree, space + 1, nul);
    if (bad) return { problem: bad };
    const current = { start: space + 1, end: nul, folder };
    // Twice under one name (a file and a folder sort apart, so the order alone misses that).
    const raw = tree.toString('latin1', space + 1, nul);
    if (seen.has(raw)) return { problem: `the name ${JSON.stringify(name)} twice` };
    if (previous && compareEntries(tree, previous, current) >= 0) {
      return { problem: `entries out of git's order (${JSON.stringify(tree.toString('utf8', previous.start, previous.end))} before ${JSON.stringify(name)})` };
    }
    seen.add(raw);
    entries.push({ name, raw, id: tree.toString('hex', nul + 1, nul + 1 + idBytes), folder, mode });
    previous = current;
    at = nul + 1 + idBytes;
  }
  return { entries };
}

function nameProblem(tree: Buffer, start: number, end: number): string | undefined {
  if (end === start) return 'an empty name';
  if (tree.indexOf(0x2f, start) !== -1 && tree.indexOf(0x2f, start) < end) return `a name with "/" (${JSON.stringify(tree.toString('utf8', start, end))})`;
  const name = tree.toString('latin1', start, end);
  if (name === '.' || name === '..' || name.toLowerCase() === '.git') return `the name ${JSON.stringify(name)}`;
  return undefined;
}

/** git's order of tree entries (base_name_compare): bytes, then a folder's name as if it ended in "/". */
function compareEntries(tree: Buffer, a: { start: number; end: number; folder: boolean }, b: { start: number; end: number; folder: boolean }): number {
  const lenA = a.end - a.start;
  const lenB = b.end - b.start;
  const common = Math.min(lenA, lenB);
  const cmp = tree.compare(tree, b.start, b.start + common, a.start, a.start + common);
  if (cmp !== 0) return cmp;
  const nextA = lenA > common ? tree[a.start + common]! : a.folder ? 0x2f : 0;
  const nextB = lenB > common ? tree[b.start + common]! : b.folder ? 0x2f : 0;
  return nextA - nextB;
}

/** The type of the object an entry of `mode` names, as `ls-tree` prints it. */
export const typeOfMode = (mode: string): 'tree' | 'commit' | 'blob' => (mode === '40000' || mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob');

/** Reads objects by name or id, in order (a shared `cat-file --batch`: BlobReader.objects). */
export type ObjectReader = (names: readonly string[]) => Promise<(CatFileObject | undefined)[]>;

/** Where (the tree's path, '' for the root), what, and the fix. */
export interface TreeFormProblem {
  path: string;
  problem: string;
  fix: string;
}

const REWRITE = '`git fsck` in your clone names the tree; make the commit that wrote it again with git itself (git add and git commit write every tree sorted, each name once), then push';

interface Pending {
  path: string;
  id: string;
  /** The folder ids main's old tip holds at this path (more than one in a tree no git writes). */
  old: string[];
}

/**
 * The first tree the hub reads policy or sessions from in `tip` that no git writes, with its
 * path and why; undefined when every such tree is well formed. Trees `old` (main's old tip)
 * holds at the same path are not read again. One round trip per folder level.
 */
export async function malformedPolicyTree(read: ObjectReader, tip: string, old: string | undefined, config: Config): Promise<TreeFormProblem | undefined> {
  const { sessions, knowledge, lockFile } = config.paths;
  const whole = [sessions, knowledge].map((path) => path.replace(/\/+$/, ''));
  const lockFolder = lockFile.includes('/') ? lockFile.slice(0, lockFile.lastIndexOf('/')) : '';
  const ends = [...whole, lockFolder].filter((path) => path !== '');
  // A folder is read when it lies on the way to one of those paths or under a whole one.
  const wanted = (path: string) => ends.some((end) => end === path || end.startsWith(`${path}/`)) || whole.some((top) => path.startsWith(`${top}/`));
  const [root, oldRoot] = await read(old ? [`${tip}^{tree}`, `${old}^{tree}`] : [`${tip}^{tree}`]);
  if (!root || root.type !== 'tree') return undefined; // not a commit: the walk reports it
  const idBytes = root.id.length / 2;
  let level: Pending[] = [{ path: '', id: root.id, old: oldRoot?.type === 'tree' ? [oldRoot.id] : [] }];
  /** New file entries the hub reads as policy or sessions, their type checked at the end. */
  const files: { path: string; id: string }[] = [];
  while (level.length > 0) {
    const changed = level.filter((tree) => !tree.old.includes(tree.id));
    const objects = await read(changed.flatMap((tree) => [tree.id, ...tree.old]));
    const next: Pending[] = [];
    let at = 0;
    for (const tree of changed) {
      const object = objects[at++];
      const olds = tree.old.map(() => objects[at++]);
      if (!object || object.type !== 'tree') continue;
      const parsed = parseTree(object.content, idBytes);
      if ('problem' in parsed) return { path: tree.path, problem: `a tree no git writes: ${parsed.problem}`, fix: REWRITE };
      if (tree.path === '') {
        // The policy files at the root: as a link or a submodule, the hub would read the blob
        // its id names while every checkout writes a link or a folder, which the CLI refuses.
        const odd = parsed.entries.find((entry) => POLICY_FILES.includes(entry.name) && !FILE_MODES.has(entry.mode));
        if (odd) return { path: '', problem: `${odd.name} is ${odd.mode === '120000' ? 'a symbolic link' : odd.folder ? 'a folder' : 'a submodule'}, not a file`, fix: `commit it as a plain file: git rm -r --cached -q -- ${odd.name}, write the file, git add -- ${odd.name}` };
      }
      // The old trees were accepted before (or predate the hook): listed as git lists them,
      // whatever their form, so that what main held already is never read again.
      const oldEntries = new Map<string, string[]>();
      for (const oldObject of olds) {
        if (oldObject?.type !== 'tree') continue;
        for (const entry of listTree(oldObject.content, idBytes)) oldEntries.set(entry.raw, [...(oldEntries.get(entry.raw) ?? []), entry.id]);
      }
      for (const entry of parsed.entries) {
        const path = tree.path === '' ? entry.name : `${tree.path}/${entry.name}`;
        const known = oldEntries.get(entry.raw)?.includes(entry.id) ?? false;
        if (entry.folder && wanted(path)) next.push({ path, id: entry.id, old: known ? [entry.id] : (oldEntries.get(entry.raw) ?? []) });
        else if (!entry.folder && entry.mode !== '160000' && !known && (entry.name === ATTRIBUTES || (tree.path === '' ? POLICY_FILES.includes(entry.name) : path === lockFile || whole.some((top) => path.startsWith(`${top}/`))))) files.push({ path, id: entry.id });
      }
    }
    level = next;
  }
  // A file's entry must name a blob. git takes a tag there too: ls-tree and `cat-file blob`
  // (the hub's readers) follow it to a blob, a checkout writes nothing (adversarial review: a
  // config naming a tag of the pinned config, a package.json beside it holding the real one).
  for (let from = 0; from < files.length; from += TYPE_CHECKS) {
    const some = files.slice(from, from + TYPE_CHECKS);
    const objects = await read(some.map((file) => file.id));
    for (let i = 0; i < some.length; i++) {
      const { path } = some[i]!;
      const object = objects[i];
      const at = path.lastIndexOf('/');
      const where = at === -1 ? '' : path.slice(0, at);
      if (object?.type !== 'blob') return { path: where, problem: `${path.slice(at + 1)} names ${object ? `a ${object.type}` : 'no object'}, not a file's content`, fix: `commit the file's content itself (git add -- ${path}); ${REWRITE}` };
      if (path.slice(at + 1) !== ATTRIBUTES) continue;
      const problem = attributesProblem(object.content.toString('utf8'), where === '', readNames(config));
      if (problem) return { path: where, problem: `${ATTRIBUTES}: ${problem}`, fix: `drop that line from ${path}, or anchor its pattern in a folder of your own (src/**)` };
    }
  }
  return undefined;
}

/** What attributesProblem matches a root .gitattributes against. */
function readNames(config: Config): ReadNames {
  const { sessions, knowledge, lockFile } = config.paths;
  const tops = [sessions, knowledge, lockFile, CONFIG_FILE, PACKAGE_JSON].map((path) => path.split('/')[0]!);
  const basenames = [CONFIG_FILE, PACKAGE_JSON, lockFile.slice(lockFile.lastIndexOf('/') + 1), ...SESSION_FILE_NAMES];
  return { tops, basenames };
}
