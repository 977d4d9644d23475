// Builds a SessionsSnapshot from a list of repo paths (a tree's or the index's files under
// the sessions folder) and, when given, the lock file's text. Pure, so commit-time facts
// (from `git ls-tree`/`git ls-files`) and history facts (from a commit's tree) share it.
import type { Config } from '../config.ts';
import { parseLockFile } from '../lockfile.ts';
import type { SessionState } from '../states.ts';
import type { SessionsSnapshot } from './types.ts';
import { classifyPath } from './paths.ts';

export function snapshotFromPaths(paths: Iterable<string>, config: Config, lockText?: string): SessionsSnapshot {
  const states = new Map<string, SessionState>();
  const duplicates = new Set<string>();
  const strays = new Set<string>();
  const files = new Map<string, Set<string>>();
  for (const path of paths) {
    const c = classifyPath(path, config);
    if (c.kind === 'session') {
      const seen = states.get(c.slug);
      if (seen !== undefined && seen !== c.state) duplicates.add(c.slug);
      if (seen === undefined) states.set(c.slug, c.state);
      const key = `${c.state}/${c.slug}`;
      let set = files.get(key);
      if (!set) files.set(key, (set = new Set()));
      if (c.file !== '') set.add(c.file);
    } else if (c.kind === 'state-folder' && !c.name.startsWith('.')) {
      strays.add(`${config.paths.sessions}/${c.state}/${c.name.split('/')[0]}`);
    }
  }
  const snapshot: SessionsSnapshot = { states, duplicates: [...duplicates], strays: [...strays], lock: undefined, files };
  if (lockText !== undefined) {
    try {
      return { ...snapshot, lock: parseLockFile(lockText, config.paths.lockFile) };
    } catch (err) {
      return { ...snapshot, lockError: err instanceof Error ? err.message : String(err) };
    }
  }
  return snapshot;
}

export const EMPTY_SNAPSHOT: SessionsSnapshot = { states: new Map(), duplicates: [], strays: [], lock: undefined };
