// The sessions as one tree holds them, kept INCREMENTALLY while a history walk moves from
// commit to commit: a commit's changes under the sessions folder become a small Delta,
// `after()` is the model seen through that delta (no copy of the whole model), and once
// the rules have judged the commit the delta is applied. Cost per commit is proportional
// to what the commit changes, not to the number of sessions.
import { parseLockFile, type LockEntry } from '../lockfile.ts';
import { isSlug } from '../slug.ts';
import { isState, STATES, type SessionState } from '../states.ts';
import { OverlayMap } from './overlay-map.ts';
import type { SessionsSnapshot } from './types.ts';
import { EMPTY_DELTA, fresh, type Delta, type HistoryChange } from './sessions-delta.ts';

export { fresh, type Delta, type HistoryChange } from './sessions-delta.ts';

type PathClass =
  | { kind: 'session'; state: SessionState; slug: string; name: string }
  | { kind: 'stray'; key: string }
  | { kind: 'lock' }
  | { kind: 'other' };

interface ParsedLock {
  entries: LockEntry[] | undefined;
  error?: string;
}

const ZERO = /^0+$/;

export class SessionsModel {
  readonly sessionsPrefix: string;
  readonly lockPath: string;
  /** `${state}/${slug}` -> names of the files in that session folder (relative to it). */
  readonly folders = new Map<string, Set<string>>();
  readonly states = new Map<string, SessionState>();
  readonly dups = new Set<string>();
  /** Stray entries under a state folder: `${state}/${name}` -> how many files it holds (a
   * folder that loses one of two files is still there). */
  readonly strays = new Map<string, number>();
  /** Active sessions' .session-env blob ids. */
  readonly envIds = new Map<string, string>();
  lockId: string | undefined;
  /** How many files the tree has under the sessions folder: 0 = not adopted (yet). */
  layoutFiles = 0;
  /** The commit whose tree this model describes. */
  head: string | undefined;
  private readonly lockCache = new Map<string, ParsedLock>();
  /** Slug validity by folder name: a walk sees the same few thousand names again and again. */
  private readonly slugOk = new Map<string, boolean>();

  constructor(sessionsDir: string, lockPath: string) {
    this.sessionsPrefix = `${sessionsDir}/`;
    this.lockPath = lockPath;
  }

  inLayout(path: string): boolean {
    return path === this.lockPath || path.startsWith(this.sessionsPrefix);
  }

  classify(path: string): PathClass {
    if (path === this.lockPath) return { kind: 'lock' };
    if (!path.startsWith(this.sessionsPrefix)) return { kind: 'other' };
    const rest = path.slice(this.sessionsPrefix.length);
    const slash = rest.indexOf('/');
    if (slash === -1) return { kind: 'other' };
    const state = rest.slice(0, slash);
    if (!isState(state)) return { kind: 'other' };
    const after = rest.slice(slash + 1);
    const next = after.indexOf('/');
    const name = next === -1 ? after : after.slice(0, next);
    if (name.startsWith('.')) return { kind: 'other' };
    let ok = this.slugOk.get(name);
    if (ok === undefined) {
      ok = isSlug(name);
      if (this.slugOk.size > 100_000) this.slugOk.clear();
      this.slugOk.set(fresh(name), ok);
    }
    if (next === -1 || !ok) return { kind: 'stray', key: `${state}/${name}` };
    return { kind: 'session', state, slug: name, name: after.slice(next + 1) };
  }

  /** The delta a commit's changes make to this model. */
  deltaOf(changes: readonly HistoryChange[]): Delta {
    // Most commits touch nothing of the protocol's: share one empty delta (no allocation).
    let relevant = false;
    for (const change of changes) {
      if (this.inLayout(change.path) || (change.from !== undefined && this.inLayout(change.from))) {
        relevant = true;
        break;
      }
    }
    if (!relevant) return EMPTY_DELTA;
    const delta: Delta = { folders: new Map(), states: new Map(), dups: new Map(), strays: new Map(), envIds: new Map(), lockId: undefined, touched: new Set(), layout: 0 };
    // `added`: the path is new in this commit (a modification leaves a stray's count alone)
    const edit = (path: string, present: boolean, id: string | undefined, added = !present) => {
      const where = this.classify(path);
      if (where.kind === 'lock') delta.lockId = { id: present ? id : undefined };
      else if (where.kind === 'stray') {
        if (added) delta.strays.set(where.key, (delta.strays.get(where.key) ?? this.strays.get(where.key) ?? 0) + (present ? 1 : -1));
      }
      else if (where.kind === 'session') {
        const key = `${where.state}/${where.slug}`;
        let files = delta.folders.get(key);
        if (files === undefined) {
          files = new Set(this.folders.get(key) ?? []);
          delta.folders.set(key, files);
        }
        if (present) files.add(where.name);
        else files.delete(where.name);
        delta.touched.add(where.slug);
        if (where.state === 'active' && where.name === '.session-env') delta.envIds.set(where.slug, present ? id : undefined);
      }
    };
    const inLayout = (path: string) => this.inLayout(path);
    for (const change of changes) {
      if (change.status === 'D') {
        edit(change.path, false, undefined);
        if (inLayout(change.path)) delta.layout--;
      } else {
        if (change.status.startsWith('R') && change.from) {
          edit(change.from, false, undefined);
          if (inLayout(change.from)) delta.layout--;
        }
        const added = change.status === 'A' || change.status.startsWith('R') || change.status.startsWith('C');
        edit(change.path, true, change.newId, added);
        if (added && inLayout(change.path)) delta.layout++;
      }
    }
    for (const [key, files] of delta.folders) if (files && files.size === 0) delta.folders.set(key, undefined);
    for (const slug of delta.touched) {
      const found: SessionState[] = [];
      for (const state of STATES) {
        const key = `${state}/${slug}`;
        const files = delta.folders.has(key) ? delta.folders.get(key) : this.folders.get(key);
        if (files && files.size > 0) found.push(state);
      }
      delta.states.set(slug, found[0]);
      delta.dups.set(slug, found.length > 1);
    }
    return delta;
  }

  apply(delta: Delta, head?: string): void {
    for (const [key, files] of delta.folders) {
      if (files) this.folders.set(fresh(key), new Set([...files].map(fresh)));
      else this.folders.delete(key);
    }
    for (const [slug, state] of delta.states) state ? this.states.set(fresh(slug), state) : this.states.delete(slug);
    for (const [slug, dup] of delta.dups) dup ? this.dups.add(fresh(slug)) : this.dups.delete(slug);
    for (const [key, count] of delta.strays) count > 0 ? this.strays.set(fresh(key), count) : this.strays.delete(key);
    for (const [slug, id] of delta.envIds) id ? this.envIds.set(fresh(slug), fresh(id)) : this.envIds.delete(slug);
    if (delta.lockId) this.lockId = delta.lockId.id === undefined ? undefined : fresh(delta.lockId.id);
    this.layoutFiles += delta.layout;
    if (head !== undefined) this.head = fresh(head);
  }

  /**
   * Applies changes to the model in place, without a Delta: the walk's moves between states
   * (walk-states.ts) undo and redo many small changes, where a Delta's maps per change cost
   * more than the change itself.
   */
  applyChanges(changes: readonly HistoryChange[]): void {
    const touched = new Set<string>();
    const edit = (path: string, present: boolean, id: string | undefined) => {
      const where = this.classify(path);
      if (this.inLayout(path)) this.layoutFiles += present ? 1 : -1;
      if (where.kind === 'lock') this.lockId = present && id !== undefined ? fresh(id) : undefined;
      else if (where.kind === 'stray') {
        const count = (this.strays.get(where.key) ?? 0) + (present ? 1 : -1);
        count > 0 ? this.strays.set(fresh(where.key), count) : this.strays.delete(where.key);
      }
      else if (where.kind === 'session') {
        const key = `${where.state}/${where.slug}`;
        let files = this.folders.get(key);
        if (present) {
          if (!files) this.folders.set(fresh(key), (files = new Set()));
          files.add(fresh(where.name));
        } else if (files) {
          files.delete(where.name);
          if (files.size === 0) this.folders.delete(key);
        }
        touched.add(where.slug);
        if (where.state === 'active' && where.name === '.session-env') present && id ? this.envIds.set(fresh(where.slug), fresh(id)) : this.envIds.delete(where.slug);
      }
    };
    for (const change of changes) {
      if (change.status === 'D') edit(change.path, false, undefined);
      else if (change.status.startsWith('R') && change.from) {
        edit(change.from, false, undefined);
        edit(change.path, true, change.newId);
      } else if (change.status === 'A' || change.status === 'C') edit(change.path, true, change.newId);
      else {
        // A modification: the file stays; only the ids the model keeps can change.
        const where = this.classify(change.path);
        if (where.kind === 'lock') this.lockId = change.newId === undefined ? undefined : fresh(change.newId);
        else if (where.kind === 'session' && where.state === 'active' && where.name === '.session-env' && change.newId) this.envIds.set(fresh(where.slug), fresh(change.newId));
      }
    }
    for (const slug of touched) {
      let first: SessionState | undefined;
      let found = 0;
      for (const state of STATES) {
        if (this.folders.get(`${state}/${slug}`)?.size) {
          first ??= state;
          found++;
        }
      }
      first ? this.states.set(fresh(slug), first) : this.states.delete(slug);
      found > 1 ? this.dups.add(fresh(slug)) : this.dups.delete(slug);
    }
  }

  /** The model as additions from the empty tree (the files it tracks, with the ids it keeps). */
  listing(): HistoryChange[] {
    const out: HistoryChange[] = [];
    if (this.lockId !== undefined) out.push({ status: 'A', path: this.lockPath, newId: this.lockId });
    for (const [key, count] of this.strays) for (let i = 0; i < count; i++) out.push({ status: 'A', path: `${this.sessionsPrefix}${key}` });
    for (const [key, files] of this.folders) {
      const slug = key.slice(key.indexOf('/') + 1);
      for (const file of files) {
        const envId = file === '.session-env' && key.startsWith('active/') ? this.envIds.get(slug) : undefined;
        out.push({ status: 'A', path: `${this.sessionsPrefix}${key}/${file}`, ...(envId ? { newId: envId } : {}) });
      }
    }
    return out;
  }

  /** Empties the model (before loading another tree into it). */
  reset(): void {
    this.folders.clear();
    this.states.clear();
    this.dups.clear();
    this.strays.clear();
    this.envIds.clear();
    this.lockId = undefined;
    this.layoutFiles = 0;
    this.head = undefined;
  }

  parseLock(id: string | undefined, read: (id: string) => string | undefined): ParsedLock {
    if (id === undefined || ZERO.test(id)) return { entries: undefined };
    let parsed = this.lockCache.get(id);
    if (!parsed) {
      const text = read(id);
      try {
        parsed = { entries: text === undefined ? undefined : parseLockFile(text, this.lockPath) };
      } catch (err) {
        parsed = { entries: undefined, error: (err as Error).message };
      }
      if (this.lockCache.size > 16) this.lockCache.clear();
      this.lockCache.set(id, parsed);
    }
    return parsed;
  }

  /** The model (or the model after `delta`) as the SessionsSnapshot rules read. */
  snapshot(read: (id: string) => string | undefined, delta?: Delta): SessionsSnapshot {
    if (delta === undefined || delta === EMPTY_DELTA) return (this.baseView ??= this.view(read, undefined));
    return this.view(read, delta);
  }

  private baseView: SessionsSnapshot | undefined;

  // Without a delta the view reads the live model, so one object serves every commit.
  private view(read: (id: string) => string | undefined, delta: Delta | undefined): SessionsSnapshot {
    const model = this;
    const lockId = () => (delta?.lockId ? delta.lockId.id : model.lockId);
    const strayKeys = (): string[] => {
      const keys = new Set(model.strays.keys());
      if (delta) for (const [key, count] of delta.strays) count > 0 ? keys.add(key) : keys.delete(key);
      return [...keys].map((key) => `${model.sessionsPrefix}${key}`);
    };
    const dups = (): string[] => {
      if (!delta) return [...model.dups];
      const out = new Set(model.dups);
      for (const [slug, dup] of delta.dups) dup ? out.add(slug) : out.delete(slug);
      return [...out];
    };
    return {
      states: delta ? new OverlayMap(model.states, delta.states) : model.states,
      get duplicates() {
        return dups();
      },
      get strays() {
        return strayKeys();
      },
      get lock() {
        return model.parseLock(lockId(), read).entries;
      },
      get lockError() {
        return model.parseLock(lockId(), read).error;
      },
      files: delta ? new OverlayMap<string, ReadonlySet<string>>(model.folders, delta.folders) : model.folders,
    };
  }
}
