// The facts of a commit that changes nothing under the layout pathspecs, judged while the
// walk's model stands at another state than the commit's parent (a side branch's commit,
// walked after main moved on). Such a commit can break a rule only through its message and
// author, and what those are judged against is the state of one session: the slug its header
// names. When nothing between the model's state and the parent's touched that session
// (WalkStates.untouchedBetween), the model answers for it as the parent's tree would, and the
// walk saves two moves (undo main's sessions changes since the fork, redo them after).
// Everything else about the sessions is unknown here: a rule that asks for it gets
// FactsUnavailable, and the walk moves the model and judges the commit again with every fact.
import { FactsUnavailable } from './engine.ts';
import { HistoryFacts, type WalkContext } from './history-facts.ts';
import type { HistoryCommit } from './log-record.ts';
import { EMPTY_DELTA } from './sessions-delta.ts';
import type { SessionState } from '../states.ts';
import type { Identity, SessionsSnapshot } from './types.ts';

/** The slug a header names (`[<slug>] ...`), as the history rules read it. */
const HEADER_PREFIX = /^\[([^\]\s]+)\]/;

export function headerSlug(message: string): string | undefined {
  return HEADER_PREFIX.exec(message)?.[1];
}

function unavailable(what: string): never {
  throw new FactsUnavailable(`${what} of a commit judged without its parent's sessions`);
}

/** The sessions map, for one slug only. */
class OneSession implements ReadonlyMap<string, SessionState> {
  constructor(
    private readonly live: ReadonlyMap<string, SessionState>,
    private readonly slug: string | undefined,
  ) {}
  get(key: string): SessionState | undefined {
    return key === this.slug ? this.live.get(key) : unavailable(`the state of ${key}`);
  }
  has(key: string): boolean {
    return key === this.slug ? this.live.has(key) : unavailable(`the state of ${key}`);
  }
  get size(): number {
    return unavailable('the number of sessions');
  }
  forEach(): void {
    unavailable('every session');
  }
  entries(): MapIterator<[string, SessionState]> {
    return unavailable('every session');
  }
  keys(): MapIterator<string> {
    return unavailable('every session');
  }
  values(): MapIterator<SessionState> {
    return unavailable('every session');
  }
  [Symbol.iterator](): MapIterator<[string, SessionState]> {
    return unavailable('every session');
  }
}

class OneSessionSnapshot implements SessionsSnapshot {
  readonly states: ReadonlyMap<string, SessionState>;
  constructor(live: ReadonlyMap<string, SessionState>, slug: string | undefined) {
    this.states = new OneSession(live, slug);
  }
  get duplicates(): readonly string[] {
    return unavailable('the duplicated sessions');
  }
  get strays(): readonly string[] {
    return unavailable('the stray entries');
  }
  get lock(): never {
    return unavailable('the lock file');
  }
  get lockError(): never {
    return unavailable('the lock file');
  }
  get files(): never {
    return unavailable('the session folders');
  }
}

/** Facts with no changes, whose sessions (before and after: the same) answer for one slug. */
export class QuietFacts extends HistoryFacts {
  private readonly slug: string | undefined;
  constructor(walk: WalkContext, commit: HistoryCommit, parent: string) {
    const slug = headerSlug(commit.message);
    super(walk, commit, [], EMPTY_DELTA, new OneSessionSnapshot(walk.model.states, slug), parent);
    this.slug = slug;
  }

  override after(): SessionsSnapshot {
    return this.before;
  }

  override sessionIdentity(slug: string): Identity | undefined {
    return slug === this.slug ? super.sessionIdentity(slug) : unavailable(`the identity of ${slug}`);
  }
}
