// A .gitattributes can make a checkout write other bytes than the blob the hub judged:
// `working-tree-encoding=UTF-16LE-BOM` on agent-sessions.config.json or the lock file gave
// every fresh clone a file the CLI cannot read (adversarial review), `ident` rewrites `$Id$`.
// The hub refuses those two attributes where they may reach a file it reads: in a
// .gitattributes inside the sessions or knowledge folders or a folder on the way to them, and
// at the root unless the pattern is anchored in a folder of the team's own. Line endings
// (`text`, `eol`) are left alone: teams set them everywhere, and the CLI reads CRLF files.
// A line's pattern is read as gitattributes(5) reads it; a macro defined at the root
// (`[attr]name ...`) that sets one of them counts as it.
const CHANGING = ['working-tree-encoding', 'ident'];

/**
 * What a .gitattributes inside the layout may set: attributes that change no byte a checkout
 * writes but line endings. Anything else there is taken as changing: a macro the root defines
 * (`[attr]utf16 working-tree-encoding=...`, harmless where the root uses it) applies in every
 * folder's file.
 */
const INERT = /^(text|eol|crlf|binary|diff|merge|whitespace|export-ignore|delta|linguist-.*)$/;

/** Whether an attribute list sets one of CHANGING (or a macro that does; inside the layout, anything not INERT). */
function setsChanging(attributes: readonly string[], macros: ReadonlySet<string> | undefined): string | undefined {
  for (const attribute of attributes) {
    if (attribute.startsWith('-') || attribute.startsWith('!')) continue;
    const name = attribute.split('=')[0]!;
    if (CHANGING.includes(name) || (macros ? macros.has(name) : !INERT.test(name))) return name;
  }
  return undefined;
}

/** The names of the files the hub reads, as a pattern without a folder part is matched against them. */
export interface ReadNames {
  /** The first path part of every path the hub reads (the layout folders, the config, package.json). */
  tops: readonly string[];
  /** Their file names (config, lock, a session's files, templates, wrappers). */
  basenames: readonly string[];
}

/**
 * Whether a .gitattributes pattern without a folder part may match `name`, as git matches it
 * on any clone: `*` and `?`, letter case ignored (macOS and Windows clones set
 * core.ignorecase, and git then matches attributes without case). A pattern with a bracket
 * expression or a backslash (classes, escapes, and a quoted pattern's octal escapes such as
 * `\056`) is taken as matching: this only ever refuses more, and only lines that set
 * working-tree-encoding or ident. Not micromatch: the runner this runs in starts on every
 * commit and is copied alone onto a hub, and micromatch made it a quarter larger.
 */
export function nameMatches(name: string, pattern: string): boolean {
  if (/[[\\]/.test(pattern)) return true;
  let source = '';
  for (const c of pattern) source += c === '*' ? '.*' : c === '?' ? '.' : escape(c);
  return new RegExp(`^${source}$`, 'is').test(name);
}

const escape = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * Why the .gitattributes `text` (at the root when `root`, else inside the layout) may change
 * what a checkout writes of a file the hub reads, or undefined.
 */
export function attributesProblem(text: string, root: boolean, read: ReadNames): string | undefined {
  const macros = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    // A quoted pattern ("a b.json" ...) is taken whole.
    const quoted = line.startsWith('"') ? /^"((?:[^"\\]|\\.)*)"\s*(.*)$/.exec(line) : null;
    const pattern = quoted ? quoted[1]! : line.split(/\s+/)[0]!;
    const attributes = (quoted ? quoted[2]! : line.slice(pattern.length)).trim().split(/\s+/).filter(Boolean);
    if (pattern.startsWith('[attr]')) {
      if (root && setsChanging(attributes, macros)) macros.add(pattern.slice('[attr]'.length));
      continue;
    }
    const set = setsChanging(attributes, root ? macros : undefined);
    if (!set || (root && !mayMatch(pattern, read))) continue;
    return `it sets ${set} for ${JSON.stringify(pattern)}, which may change what a checkout writes of a file the hub reads (the config, the lock file, a session's files)`;
  }
  return undefined;
}

/** Whether a root pattern may match a path the hub reads (when in doubt: yes). */
function mayMatch(pattern: string, read: ReadNames): boolean {
  const trimmed = pattern.startsWith('/') ? pattern.slice(1) : pattern;
  const slash = trimmed.indexOf('/');
  // No folder part: a file name at any depth.
  if (slash === -1 || slash === trimmed.length - 1) return read.basenames.some((name) => nameMatches(name, trimmed.replace(/\/$/, '')));
  const top = trimmed.slice(0, slash);
  return /[*?[\\]/.test(top) || read.tops.some((ours) => ours.toLowerCase() === top.toLowerCase());
}
