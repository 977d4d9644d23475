// Writes to a frozen SESSION.md (an active or completed session's plan) through any path that
// reaches it: redirections, tee, sed -i, cp, mv, rm, dd, relative paths, `cd`, `..`, symlinks,
// globs the shell expands, and folders removed or moved whole.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import micromatch from 'micromatch';
import { show, unreadable, type Finding, type PolicyFacts } from './facts.ts';
import { realTarget, workTreeOf } from './paths.ts';
import type { ShellCommand } from './shell.ts';
import { programName, UNKNOWN, type Word } from './words.ts';

// Programs that write the files named in their arguments, and which arguments those are.
function writtenFiles(command: ShellCommand): Word[] {
  const [head, ...args] = command.argv;
  const name = head && !head.dynamic ? basename(head.text) : '';
  const operands = args.filter((w) => !w.text.startsWith('-') || w.text === '-');
  switch (name) {
    case 'tee':
    case 'rm':
    case 'unlink':
    case 'truncate':
    case 'shred':
    case 'sponge':
    case 'ed':
    case 'ex':
      return operands;
    case 'sed':
    case 'perl': {
      if (!args.some((w) => /^-[a-zA-Z]*i|^--in-place/.test(w.text))) return [];
      // Every operand but the script may be a file; a script never names a frozen SESSION.md.
      return operands;
    }
    case 'cp':
    case 'mv':
    case 'install':
    case 'ln':
    case 'rsync': {
      // rsync's -t is --times: it has no target-directory option.
      const targetDir = name === 'rsync' ? -1 : args.findIndex((w) => w.text === '-t' || w.text.startsWith('--target-directory'));
      // mv takes its sources away, ln may replace them; cp/install/rsync write only the
      // destination (the last operand, or nothing but the target folder with -t).
      const files: Word[] = name === 'mv' || name === 'ln' ? [...operands] : targetDir !== -1 ? [] : operands.slice(-1);
      const dst = targetDir !== -1 ? (args[targetDir]!.text.includes('=') ? { ...args[targetDir]!, text: args[targetDir]!.text.split('=')[1]! } : args[targetDir + 1]) : operands[operands.length - 1];
      // Into a directory: each source lands as dir/<its name>.
      if (dst) for (const src of operands.slice(0, targetDir !== -1 ? undefined : -1)) files.push({ ...dst, text: `${dst.text}/${basename(src.text)}` });
      return files;
    }
    case 'dd':
      return args.filter((w) => w.text.startsWith('of=')).map((w) => ({ ...w, text: w.text.slice(3) }));
    default:
      return [];
  }
}

/** The frozen SESSION.md files of the work tree around dir (active and completed sessions). */
function lockedFiles(dir: string, facts: PolicyFacts): string[] {
  const top = facts.topLevel ? facts.topLevel(dir) : workTreeOf(dir);
  if (!top) return [];
  const out: string[] = [];
  for (const state of ['active', 'completed']) {
    const folder = join(top, facts.sessionsPath, state);
    let slugs: string[] = [];
    try {
      slugs = readdirSync(folder);
    } catch {
      /* no such state folder */
    }
    for (const slug of slugs) out.push(join(folder, slug, 'SESSION.md'));
  }
  return out;
}

/** `find <dirs> ... -delete`: the start folders, when a name filter could let SESSION.md through. */
function findDeletes(args: Word[]): Word[] {
  if (!args.some((w) => w.text === '-delete')) return [];
  const start = args.findIndex((w) => /^[-(!]/.test(w.text));
  const dirs = args.slice(0, start === -1 ? undefined : start);
  const names = args.flatMap((w, i) => (/^-i?name$/.test(w.text) && args[i + 1] ? [args[i + 1]!] : []));
  const spares = names.length > 0 && names.every((n) => !n.dynamic && !micromatch.isMatch('SESSION.md', n.text, { nocase: true, dot: true }));
  return spares ? [] : dirs.length ? dirs : [{ text: '.', dynamic: false, glob: false }];
}

/** stat, or undefined for a path that is missing or runs through a file (`.gitkeep/SESSION.md`). */
function statOrUndefined(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Another name (hard link) of a frozen SESSION.md. */
function hardLinkOf(path: string, dir: string, facts: PolicyFacts): string | undefined {
  try {
    const st = statSync(path);
    if (st.nlink < 2) return undefined;
    return lockedFiles(dir, facts).find((file) => {
      const other = statOrUndefined(file);
      return other !== undefined && other.ino === st.ino && other.dev === st.dev;
    });
  } catch {
    return undefined;
  }
}

export function checkWrites(command: ShellCommand, facts: PolicyFacts): Finding | undefined {
  const [head, ...args] = command.argv;
  const name = programName(head);
  const deletes = name === 'find' ? findDeletes(args) : [];
  // `rm -r` / `mv` of a folder (or `find -delete` under it) takes the SESSION.md inside along.
  const wholeFolders = (name === 'rm' && args.some((w) => /^-[a-zA-Z]*[rR]|^--recursive$/.test(w.text))) || name === 'mv' || deletes.length > 0;
  const targets = [...command.writes.map((w) => ({ word: w.word, cwd: w.cwd })), ...[...writtenFiles(command), ...deletes].map((word) => ({ word, cwd: command.cwd }))];
  for (const { word, cwd } of targets) {
    if (word.dynamic) {
      if (/SESSION\.md$/.test(word.text)) return unreadable(`a write to ${JSON.stringify(show(word.text))}, a SESSION.md known only at run time`);
      continue;
    }
    for (const dir of cwd) {
      const path = dir === UNKNOWN ? word.text : resolve(dir, word.text);
      const hit = checkFileWrite(path, facts);
      if (hit) return hit;
      if (dir === UNKNOWN) continue;
      const linked = hardLinkOf(path, dir, facts);
      if (linked) return checkFileWrite(linked, facts);
      if (!word.glob && !wholeFolders) continue;
      // A glob the shell expands, or a folder removed whole: which frozen files does it reach?
      const reached = lockedFiles(dir, facts).find((file) => (word.glob && micromatch.isMatch(file, path, { dot: true })) || (wholeFolders && (file.startsWith(`${realTarget(path)}/`) || file.startsWith(`${path}/`))));
      if (reached) return checkFileWrite(reached, facts);
    }
  }
  return undefined;
}

/**
 * Whether a write to `file` could reach a SESSION.md at all (by name, through a symlink, or as
 * a hard link): callers skip loading the config for every other write.
 */
export function mayReachSessionFile(file: string): boolean {
  if (/SESSION\.md$/.test(file) || /SESSION\.md$/.test(realTarget(file))) return true;
  return (statOrUndefined(file)?.nlink ?? 1) > 1;
}

/** A write (Write/Edit tool, a redirect, tee, cp, ...) into SESSION.md of an active or completed session. */
export function checkFileWrite(path: string, facts: PolicyFacts): Finding | undefined {
  const sessions = facts.sessionsPath.replace(/\/+$/, '');
  const pattern = new RegExp(`(?:^|/)${sessions.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(active|completed)/([^/]+)/SESSION\\.md$`);
  const absolute = resolve(facts.cwd ?? process.cwd(), path.split('\\').join('/'));
  const linked = hardLinkOf(absolute, dirname(absolute), facts);
  for (const candidate of [path.split('\\').join('/'), absolute, realTarget(absolute), ...(linked ? [linked] : [])]) {
    const match = pattern.exec(candidate);
    if (!match) continue;
    const [, state, slug] = match;
    return {
      id: 'session-md-readonly',
      reason: `${sessions}/${state}/${slug}/SESSION.md is frozen once a session is claimed: it is the plan that drift is measured against`,
      fix: `write your plan changes to active-plan.md and progress to worklog.md in the same folder; a real emergency edit needs a commit "[${slug}] OVERRIDE: <reason>"`,
    };
  }
  return undefined;
}

