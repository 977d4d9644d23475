// The data a history walk's sessions model works in: a commit's change with its blob ids,
// and the Delta that one commit makes to the model (applied once the rules have judged it).
import type { SessionState } from '../states.ts';
import type { Change } from './types.ts';

/** A change as a history walk sees it: with the blob ids before and after. */
export interface HistoryChange extends Change {
  oldId?: string;
  newId?: string;
}

export interface Delta {
  folders: Map<string, Set<string> | undefined>;
  states: Map<string, SessionState | undefined>;
  dups: Map<string, boolean>;
  /** Stray keys whose file count this commit changes -> the count after it. */
  strays: Map<string, number>;
  envIds: Map<string, string | undefined>;
  lockId: { id: string | undefined } | undefined;
  /** Slugs whose folders changed. */
  touched: Set<string>;
  /** Change in the number of files under the sessions folder (the layout's presence). */
  layout: number;
}

/**
 * A copy of `text` that shares no memory with the string it was cut from. Slugs and paths are
 * cut out of git log's output; stored as they are, each would keep its whole 64 KB chunk of
 * that output alive, and memory would grow with the history instead of the sessions.
 */
export function fresh(text: string): string {
  return (' ' + text).slice(1);
}

export const EMPTY_DELTA: Delta = Object.freeze({
  folders: new Map(),
  states: new Map(),
  dups: new Map(),
  strays: new Map(),
  envIds: new Map(),
  lockId: undefined,
  touched: new Set<string>(),
  layout: 0,
}) as Delta;
