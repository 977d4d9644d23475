// The state machine of PROTOCOL.md. A session lives in exactly one state folder on main,
// and only these moves are legal.

export const STATES = ['drafting', 'planned', 'active', 'completed', 'abandoned'] as const;
export type SessionState = (typeof STATES)[number];

export type TransitionVerb = 'ready' | 'unready' | 'claim' | 'complete' | 'abandon' | 'cancel';

export interface Transition {
  from: SessionState;
  to: SessionState;
  verb: TransitionVerb;
}

export const TRANSITIONS: readonly Transition[] = [
  { from: 'drafting', to: 'planned', verb: 'ready' },
  { from: 'planned', to: 'drafting', verb: 'unready' },
  { from: 'planned', to: 'active', verb: 'claim' },
  { from: 'active', to: 'completed', verb: 'complete' },
  { from: 'active', to: 'abandoned', verb: 'abandon' },
  { from: 'drafting', to: 'abandoned', verb: 'cancel' },
  { from: 'planned', to: 'abandoned', verb: 'cancel' },
];

export function isState(value: string): value is SessionState {
  return (STATES as readonly string[]).includes(value);
}

export function findTransition(from: SessionState, to: SessionState): Transition | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.to === to);
}

export function transitionsFrom(from: SessionState): Transition[] {
  return TRANSITIONS.filter((t) => t.from === from);
}

/** States from which SESSION.md is frozen (mode 0444, content guarded by session-md-readonly). */
export const LOCKED_STATES: readonly SessionState[] = ['active', 'completed'];
