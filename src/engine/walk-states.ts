// The sessions states a history walk can move its model to, without a git process per
// branch point. Each state is a node: the layout changes (sessions folder, lock file) that
// lead to it from the node above it. A commit that changes nothing of the layout has its
// parent's node (most commits: nodes cost memory only where the layout changed). Moving the
// model from one node to another undoes the changes up to their common ancestor and redoes
// the changes down to the target: proportional to the layout changes between the two, not
// to the size of the tree. A commit's node is kept while later commits will be judged
// against it. States of commits outside the walk (the old tip, a merged parent already on
// the branch) are read once each through the walk's cat-file process.
import type { BlobReader } from './blob-reader.ts';
import { fresh, type HistoryChange, type SessionsModel } from './sessions-model.ts';

interface StateNode {
  /** The node this one's changes apply to; undefined: the empty tree. */
  up: StateNode | undefined;
  changes: readonly HistoryChange[];
  /** Greater than the depth of `up` (kept as is when compaction cuts what is above). */
  depth: number;
}

const ZERO = /^0+$/;
/** Nodes made between two compactions. */
const COMPACT_EVERY = 4096;

function reverse(change: HistoryChange): HistoryChange[] {
  const { status, path, oldId, newId, mode } = change;
  if (status === 'A' || status === 'C') return [{ status: 'D', path, ...(newId ? { oldId: newId } : {}) }];
  if (status === 'D') return [{ status: 'A', path, ...(mode ? { mode } : {}), ...(oldId ? { newId: oldId } : {}) }];
  if (status.startsWith('R') && change.from !== undefined) return [{ status: 'D', path }, { status: 'A', path: change.from, ...(oldId ? { newId: oldId } : {}) }];
  return [{ status: 'M', path, ...(newId ? { oldId: newId } : {}), ...(oldId ? { newId: oldId } : {}) }];
}

/** Parses a tree object: entries of "<mode> <name>\0<raw id>". */
function treeEntries(content: Buffer, idBytes: number): { mode: string; name: string; id: string }[] {
  const out: { mode: string; name: string; id: string }[] = [];
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(32, at);
    const nul = content.indexOf(0, space);
    if (space === -1 || nul === -1) break;
    out.push({ mode: content.toString('latin1', at, space), name: content.toString('utf8', space + 1, nul), id: content.toString('hex', nul + 1, nul + 1 + idBytes) });
    at = nul + 1 + idBytes;
  }
  return out;
}

export class WalkStates {
  private readonly nodes = new Map<string, StateNode | undefined>();
  private current: StateNode | undefined;
  /** Lock file ids of the states moved to lately (a small ring). */
  private readonly recent: string[] = [];

  /** Nodes on the current state's chain (a measure of what the walk holds). */
  chainLength(): number {
    let n = 0;
    for (let node = this.current; node; node = node.up) n++;
    return n;
  }

  /** Nodes made since the last compaction. */
  private made = 0;

  /**
   * Drops the states no later move can reach: every node above the deepest common ancestor
   * of the states still needed (kept commits, the current and the latest) is replaced by that
   * ancestor's whole listing, so memory follows the open branches, not the history's length.
   */
  private compact(): void {
    const live: StateNode[] = [];
    for (const node of this.nodes.values()) if (node) live.push(node);
    if (this.latest?.node) live.push(this.latest.node);
    let common = this.current;
    for (const node of live) {
      let a = common;
      let b: StateNode | undefined = node;
      while (a !== b) {
        if ((a?.depth ?? 0) >= (b?.depth ?? 0)) a = a!.up;
        else b = b!.up;
      }
      common = a;
      if (!common) return; // states of several trees (outside commits): nothing to drop
    }
    if (!common?.up) return;
    const back = this.current;
    this.goTo(common);
    common.changes = this.model.listing();
    common.up = undefined;
    this.goTo(back);
  }

  recentLocks(): readonly string[] {
    return this.recent;
  }

  /** The last commit advanced to, and its state (kept even when no later commit uses it). */
  private latest: { sha: string; node: StateNode | undefined } | undefined;

  constructor(
    private readonly model: SessionsModel,
    private readonly blobs: BlobReader,
    /** Commits more than one judgement will start from, with their count (others: one). */
    private readonly uses: Map<string, number>,
    /** The sessions part of one outside tree the caller listed already. */
    private readonly listed?: { rev: string; changes: readonly HistoryChange[] },
    /** Nodes made between two compactions (tests use small numbers). */
    private readonly compactEvery = COMPACT_EVERY,
  ) {}

  /** Moves the model to the state of `sha` (undefined: the empty tree). */
  async moveTo(sha: string | undefined, bare: ReadonlySet<string>): Promise<void> {
    let target: StateNode | undefined;
    if (sha !== undefined) {
      if (this.nodes.has(sha)) target = this.nodes.get(sha);
      else if (this.latest?.sha === sha) target = this.latest.node;
      else {
        target = bare.has(sha) ? undefined : await this.outside(sha);
        this.nodes.set(fresh(sha), target);
      }
    }
    this.goTo(target);
    this.model.head = sha === undefined ? undefined : fresh(sha);
    const wanted = [...this.model.envIds.values()];
    if (this.model.lockId) {
      wanted.push(this.model.lockId);
      if (!this.recent.includes(this.model.lockId)) {
        this.recent.push(this.model.lockId);
        if (this.recent.length > 64) this.recent.shift();
      }
    }
    await this.blobs.fetch(wanted);
  }

  /**
   * How much sessions history lies behind a commit's state (its node's depth): the walk keeps
   * a merge's state through its deepest parent, whose diff to the merge changes the least of
   * the layout; -1 when the state is not kept (a commit outside the walk).
   */
  depth(sha: string | undefined): number {
    if (sha === undefined) return 0;
    if (!this.nodes.has(sha)) return -1;
    return this.nodes.get(sha)?.depth ?? 0;
  }

  /** One judgement that started from `sha` is done; its node is dropped after the last. */
  used(sha: string | undefined): void {
    if (sha === undefined) return;
    const left = (this.uses.get(sha) ?? 1) - 1;
    if (left > 0) this.uses.set(sha, left);
    else {
      this.uses.delete(sha);
      this.nodes.delete(sha);
    }
  }

  /**
   * The model, at the state of a parent, takes the commit's changes against that parent
   * (a delta the caller computed): records the commit's state and applies it.
   */
  advance(sha: string, changes: readonly HistoryChange[], apply: () => void): void {
    const layout: HistoryChange[] = [];
    for (const change of changes) {
      if (this.model.inLayout(change.path) || (change.from !== undefined && this.model.inLayout(change.from))) {
        layout.push({ status: change.status, path: fresh(change.path), ...(change.from !== undefined ? { from: fresh(change.from) } : {}), ...(change.mode ? { mode: change.mode } : {}), ...(change.oldId ? { oldId: fresh(change.oldId) } : {}), ...(change.newId ? { newId: fresh(change.newId) } : {}) });
      }
    }
    apply();
    if (layout.length > 0) {
      this.current = { up: this.current, changes: layout, depth: (this.current?.depth ?? 0) + 1 };
      if (++this.made >= this.compactEvery) {
        this.made = 0;
        this.compact();
      }
    }
    this.model.head = fresh(sha);
    this.latest = { sha: this.model.head, node: this.current };
    this.nodes.set(this.model.head, this.current);
  }

  /** What the moves cost (AGENT_SESSIONS_DEBUG=1 prints it). */
  readonly stats = { moves: 0, undone: 0, redone: 0, outside: 0 };
  private goTo(target: StateNode | undefined): void {
    this.stats.moves++;
    let from = this.current;
    let to = target;
    const down: StateNode[] = [];
    while (from !== to) {
      if ((from?.depth ?? 0) >= (to?.depth ?? 0)) {
        this.stats.undone += from!.changes.length;
        for (const change of [...from!.changes].reverse()) this.applyChanges(reverse(change));
        from = from!.up;
      } else {
        down.push(to!);
        to = to!.up;
      }
    }
    for (let i = down.length - 1; i >= 0; i--) {
      this.stats.redone += down[i]!.changes.length;
      this.applyChanges(down[i]!.changes);
    }
    this.current = target;
  }

  private applyChanges(changes: readonly HistoryChange[]): void {
    this.model.applyChanges(changes);
  }

  /** The state of a commit outside the walk: its layout read through cat-file, as additions. */
  private async outside(sha: string): Promise<StateNode | undefined> {
    this.stats.outside++;
    const changes = this.listed?.rev === sha ? [...this.listed.changes] : await this.readLayout(sha);
    return changes.length === 0 ? undefined : { up: undefined, changes, depth: 1 };
  }

  private async readLayout(rev: string): Promise<HistoryChange[]> {
    const { model } = this;
    const sessionsDir = model.sessionsPrefix.slice(0, -1);
    const [lock, top] = await this.blobs.objects([`${rev}:${model.lockPath}`, `${rev}:${sessionsDir}`]);
    const changes: HistoryChange[] = [];
    if (lock && lock.type === 'blob') changes.push({ status: 'A', path: model.lockPath, mode: '100644', newId: fresh(lock.id) });
    if (!top || top.type !== 'tree') return changes;
    const idBytes = top.id.length / 2;
    let level: { prefix: string; content: Buffer }[] = [{ prefix: sessionsDir, content: top.content }];
    while (level.length > 0) {
      const subtrees: { prefix: string; id: string }[] = [];
      for (const tree of level) {
        for (const entry of treeEntries(tree.content, idBytes)) {
          const path = `${tree.prefix}/${entry.name}`;
          if (entry.mode === '40000') subtrees.push({ prefix: path, id: entry.id });
          else if (!ZERO.test(entry.id)) changes.push({ status: 'A', path, mode: entry.mode, newId: entry.id });
        }
      }
      if (subtrees.length === 0) break;
      const objects = await this.blobs.objects(subtrees.map((t) => t.id));
      level = [];
      objects.forEach((object, i) => {
        if (object && object.type === 'tree') level.push({ prefix: subtrees[i]!.prefix, content: object.content });
      });
    }
    return changes;
  }
}
