// Validates the tree at the end of the checked range: the layout is there, each session sits
// in exactly one state folder, the lock file equals active/, every active session has its
// .session-env and every completed one its patch, and every folder name is a slug.
// Violations here carry the pseudo rule ids `layout` and `lifecycle`.
import type { Config } from '../config.ts';
import { UsageError } from '../errors.ts';
import { gitSync } from '../git.ts';
import type { BlobReader } from '../engine/blob-reader.ts';
import { loadTree } from '../engine/facts-history.ts';
import { SessionsModel } from '../engine/sessions-model.ts';
import type { Violation } from '../engine/types.ts';
import { STATES } from '../states.ts';
import { parseTree, typeOfMode } from '../policy/tree-form.ts';

/** The sessions part of the end tree, as a walk's model leaves it (or loadEndTree builds it). */
export interface EndTree {
  model: SessionsModel;
  /** Blob contents by id (the lock file's). */
  read(id: string): string | undefined;
}

/**
 * The entries directly under the sessions folder at `end`; exit 2 when there are none (the
 * repository has not adopted the protocol). One cheap `ls-tree`, run before any walk.
 */
/** An entry right under the sessions folder: its path and git's object type (tree, blob, commit). */
export interface LayoutEntry {
  path: string;
  type: string;
}

export function layoutEntries(cwd: string, config: Config, end: string, env?: NodeJS.ProcessEnv): LayoutEntry[] {
  const { sessions } = config.paths;
  // "<mode> SP <type> SP <id> TAB <path>"
  const top = gitSync(['ls-tree', '-z', end, '--', `${sessions}/`], { cwd, env })
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      return { path: line.slice(tab + 1), type: line.slice(line.indexOf(' ') + 1, line.indexOf(' ', line.indexOf(' ') + 1)) };
    });
  if (top.length === 0) {
    throw new UsageError('no-layout', `no ${sessions}/ in ${end}: this repository has not adopted agent-sessions`, {
      fix: 'run `agent-sessions init`, commit the layout ([maint] chore: adopt agent-sessions) and check again',
    });
  }
  return top;
}

/**
 * layoutEntries, read through the walk's own `cat-file --batch` (started with the check: one
 * round trip, where the `ls-tree` was a process the check waited for, 20-30 ms of a 10,000-
 * commit check here). Taken only when every tree from the root down is one git's readers
 * agree on (parseTree: git's order, no name twice) and each step is a plain folder whose id
 * is the tree read next: `<end>:<path>` alone follows the first entry of a name whatever its
 * mode, so a submodule, file or link entry naming a tree read as the folder, where ls-tree
 * lists the entry itself. Anything else (no layout, a file there, an end git cannot resolve)
 * is asked of `ls-tree` as before, for its exact answer.
 */
export async function layoutEntriesVia(blobs: BlobReader, cwd: string, config: Config, end: string): Promise<LayoutEntry[]> {
  const { sessions } = config.paths;
  const parts = sessions.split('/');
  const names = [`${end}^{tree}`, ...parts.map((_, i) => `${end}:${parts.slice(0, i + 1).join('/')}`)];
  const trees = await blobs.objects(names, { again: false });
  for (let i = 0; i < trees.length; i++) {
    const tree = trees[i];
    if (tree?.type !== 'tree') break;
    const parsed = parseTree(tree.content, tree.id.length / 2);
    if ('problem' in parsed) break;
    if (i === parts.length) {
      if (parsed.entries.length === 0) break;
      return parsed.entries.map((entry) => ({ path: `${sessions}/${entry.name}`, type: typeOfMode(entry.mode) }));
    }
    const step = parsed.entries.find((entry) => entry.name === parts[i]);
    if (!step?.folder || step.id !== trees[i + 1]?.id) break;
  }
  return layoutEntries(cwd, config, end);
}

/** Loads the end tree's sessions with one `ls-tree -r` (when no walk ended there). */
export function loadEndTree(cwd: string, config: Config, end: string, env?: NodeJS.ProcessEnv): EndTree {
  const model = new SessionsModel(config.paths.sessions, config.paths.lockFile);
  loadTree(model, end, cwd, env);
  return { model, read: (id) => gitSync(['cat-file', 'blob', id], { cwd, env }) };
}

/**
 * Validates the end tree. `top` comes from layoutEntries; `tree` from the history walk when
 * it ended at `end` (the walk's model then IS the end tree), else from loadEndTree.
 */
export function validateTree(config: Config, end: string, top: readonly LayoutEntry[], tree: EndTree): Violation[] {
  const { sessions, lockFile } = config.paths;
  const { model } = tree;
  const out: Violation[] = [];
  const add = (rule: string, message: string, fix: string, path: string) => out.push({ rule, severity: 'error', message, fix, path, commit: end });
  const present = new Map(top.map((entry) => [entry.path.slice(sessions.length + 1), entry.type]));
  for (const state of STATES) {
    const type = present.get(state);
    if (type === undefined) add('layout', `state folder ${sessions}/${state}/ is missing`, `run \`agent-sessions init\` (it adds ${sessions}/${state}/.gitkeep) and commit`, `${sessions}/${state}`);
    else if (type !== 'tree') add('layout', `state folder ${sessions}/${state} is a ${type === 'commit' ? 'submodule' : 'file or link'}, not a folder`, `git rm --cached ${sessions}/${state}, then run \`agent-sessions init\` and commit`, `${sessions}/${state}`);
  }
  for (const name of present.keys()) {
    const state = name.toLowerCase().replace(/[. ]+$/, '');
    if (name !== state && (STATES as readonly string[]).includes(state)) {
      add('layout', `folder ${JSON.stringify(name)} in ${sessions}/ is spelled like the state folder ${state}/ but is not it (one folder on a case-insensitive or Windows checkout)`, `move what is in it out of ${sessions}/`, `${sessions}/${name}`);
    }
  }
  for (const stray of model.snapshot(() => undefined).strays) {
    add('layout', `${stray} is not a session folder named by a valid slug`, 'rename it to YYYY-MM-DD-words (or kb-YYYY-MM-DD-words) or move it out of the state folders', stray);
  }
  for (const slug of model.dups) {
    const where = STATES.filter((state) => model.folders.has(`${state}/${slug}`));
    add('lifecycle', `session ${slug} is in ${where.join(' and ')} at once`, `keep one folder: git rm -r the stale copy of ${slug} and commit`, `${sessions}/${where[0]}/${slug}`);
  }
  if (model.lockId === undefined) add('layout', `${lockFile} is missing`, `create an empty ${lockFile} (init does) and commit it`, lockFile);
  const lock = model.parseLock(model.lockId, tree.read);
  if (lock.error) add('lifecycle', lock.error, `repair ${lockFile}: one <slug>:<unix-seconds> line per session in active/`, lockFile);
  const locked = new Map<string, number>();
  for (const entry of lock.entries ?? []) locked.set(entry.slug, (locked.get(entry.slug) ?? 0) + 1);
  for (const [slug, count] of locked) {
    const state = model.states.get(slug);
    if (state !== 'active') add('lifecycle', `${lockFile} lists ${slug}, which is ${state ? `in ${state}/` : 'not a session'}, not in active/`, `remove the line for ${slug} from ${lockFile}`, lockFile);
    if (count > 1) add('lifecycle', `${lockFile} lists ${slug} ${count} times`, `keep one line for ${slug}`, lockFile);
  }
  for (const [slug, state] of model.states) {
    const files = model.folders.get(`${state}/${slug}`);
    const folder = `${sessions}/${state}/${slug}`;
    if (state === 'active') {
      if (!lock.error && !locked.has(slug)) add('lifecycle', `active session ${slug} has no line in ${lockFile}`, `add "${slug}:<unix-seconds>" to ${lockFile}`, lockFile);
      if (!files?.has('.session-env')) add('lifecycle', `active session ${slug} has no .session-env`, `restore ${folder}/.session-env (claim writes it)`, folder);
    }
    if (state === 'completed' && !files?.has(`${slug}.patch`)) {
      add('lifecycle', `completed session ${slug} has no ${slug}.patch`, `restore ${folder}/${slug}.patch (complete writes it)`, folder);
    }
  }
  return out;
}
