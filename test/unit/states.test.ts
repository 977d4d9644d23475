// The state machine of PROTOCOL.md, exactly.
import { describe, expect, it } from 'vitest';
import { findTransition, isState, LOCKED_STATES, STATES, TRANSITIONS, transitionsFrom } from '../../src/states.ts';

describe('states', () => {
  it('knows the five states and nothing else', () => {
    expect(STATES).toEqual(['drafting', 'planned', 'active', 'completed', 'abandoned']);
    for (const state of STATES) expect(isState(state)).toBe(true);
    for (const other of ['', 'Active', 'done', 'sessions', 'active ']) expect(isState(other)).toBe(false);
  });

  it('finds the legal move for every pair, with its verb, and none for the rest', () => {
    const legal: Record<string, string> = {
      'drafting>planned': 'ready',
      'planned>drafting': 'unready',
      'planned>active': 'claim',
      'active>completed': 'complete',
      'active>abandoned': 'abandon',
      'drafting>abandoned': 'cancel',
      'planned>abandoned': 'cancel',
    };
    for (const from of STATES) {
      for (const to of STATES) expect(findTransition(from, to)?.verb, `${from}>${to}`).toBe(legal[`${from}>${to}`]);
    }
    expect(TRANSITIONS).toHaveLength(7);
  });

  it('lists the moves out of each state in order', () => {
    expect(transitionsFrom('planned').map((t) => t.verb)).toEqual(['unready', 'claim', 'cancel']);
    expect(transitionsFrom('active').map((t) => t.to)).toEqual(['completed', 'abandoned']);
    expect(transitionsFrom('completed')).toEqual([]);
    expect(LOCKED_STATES).toEqual(['active', 'completed']);
  });
});
