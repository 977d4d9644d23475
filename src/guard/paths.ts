// Where a path or a pathspec really points: `.`, `.//`, `src/..`, `"$PWD"`, an absolute path,
// `:/`, `:(top)`, exclude-only `:!x`, `'**'` are the repository root or everything under it;
// a write through `./`, a `cd`, or a symlink lands where the file system says.
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { UNKNOWN, type Word } from './words.ts';

/** The work tree containing dir: the nearest parent with a `.git` (no git process). */
export function workTreeOf(dir: string): string | undefined {
  let current = resolve(dir);
  for (;;) {
    if (existsSync(join(current, '.git'))) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** dir is top itself or one of its parents. */
const coversRoot = (dir: string, top: string) => {
  const rel = relative(dir, top);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** Pathspec magic: `:(top,glob)x`, `:/x`, `:!x`, `:^x`. */
function magic(spec: string): { top: boolean; exclude: boolean; literal: boolean; attr: boolean; path: string } {
  const m = { top: false, exclude: false, literal: false, attr: false, path: spec };
  if (!spec.startsWith(':')) return m;
  if (spec.startsWith(':(')) {
    const close = spec.indexOf(')');
    if (close === -1) return m;
    for (const word of spec.slice(2, close).split(',')) {
      const w = word.trim().toLowerCase();
      if (w === 'top') m.top = true;
      if (w === 'exclude') m.exclude = true;
      if (w === 'literal') m.literal = true;
      if (w.startsWith('attr')) m.attr = true;
    }
    m.path = spec.slice(close + 1);
    return m;
  }
  let i = 1;
  for (; i < spec.length; i++) {
    const c = spec[i]!;
    if (c === '/') m.top = true;
    else if (c === '!' || c === '^') m.exclude = true;
    else if (c === ':') {
      i++;
      break;
    } else break;
  }
  m.path = spec.slice(i);
  return m;
}

export interface PathspecVerdict {
  /** The pathspec that sweeps everything, as typed. */
  sweeping?: string;
  /** Why it cannot be told (run-time value, unknown directory). */
  unknown?: string;
}

/**
 * Whether pathspecs (as git receives them, in one of `dirs`) cover the whole work tree.
 * `top(dir)` names the work tree's root.
 */
export function sweepingPathspecs(specs: Word[], dirs: string[], top: (dir: string) => string | undefined): PathspecVerdict {
  const parsed = specs.map((w) => ({ word: w, m: magic(w.text) }));
  const includes = parsed.filter((p) => !p.m.exclude);
  if (specs.length && !includes.length) return { sweeping: specs.map((s) => s.text).join(' ') }; // exclude-only: everything else
  for (const { word, m } of includes) {
    if (word.dynamic) return { unknown: `the pathspec ${JSON.stringify(word.text.replaceAll(UNKNOWN, '$…'))} is known only at run time` };
    for (const dir of dirs) {
      if (dir === UNKNOWN && !m.top && !isAbsolute(m.path)) {
        // From an unknown directory, `src/x.ts` still names something below it; `.`, `..`,
        // `a/../..` or a bare wildcard might be the root.
        const first = normalize(m.path || '.').split('/')[0]!;
        if (first === '.' || first === '..' || (!m.literal && /^[*?[]/.test(first) && !/[A-Za-z0-9_-]/.test(first.replace(/\[[^\]]*\]/g, '')))) {
          return { unknown: `\`${word.text}\` runs in a directory the guard cannot tell (after a \`cd\` it cannot follow)` };
        }
        continue;
      }
      // An absolute path names its own work tree, whatever directory git runs in.
      const absolute = !m.top && isAbsolute(m.path);
      const root = dir !== UNKNOWN ? top(dir) : absolute ? top(m.path) : undefined;
      const base = m.top || (absolute && dir === UNKNOWN) ? root : dir;
      if (!base || base === UNKNOWN) {
        if (m.top && !m.path) return { sweeping: word.text };
        continue;
      }
      if (m.attr && !m.path) return { sweeping: word.text };
      // A wildcard (for git, or for the shell when unquoted) matches all under its literal prefix.
      const wild = m.literal ? -1 : m.path.search(/[*?[]/);
      const literalPart = wild === -1 ? m.path : m.path.slice(0, m.path.lastIndexOf('/', wild) + 1);
      const pattern = wild === -1 ? '' : m.path.slice(literalPart.length);
      const resolved = resolve(base, literalPart || '.');
      // Wildcards and bracket sets with no literal name in them (`*`, `**`, `?*`, `[!.]*`, `.*`,
      // `*.*`) match (nearly) everything; `*.ts` names something.
      const everything = pattern === '' || !/[A-Za-z0-9_-]/.test(pattern.replace(/\[[^\]]*\]/g, ''));
      if (everything && coversRoot(resolved, root ?? base)) return { sweeping: word.text };
    }
  }
  return {};
}

/** The real location a write to `path` (from `dir`) lands on: symlinks followed. */
export function realTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}
