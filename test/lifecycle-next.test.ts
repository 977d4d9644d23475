// next: the oldest planned session on the hub's main that fits, optionally claimed.
import { describe, expect, it } from 'vitest';
import { agents, plannedHub } from './helpers/lifecycle.js';
import { git } from './helpers/repo.js';
import { backoffDelay } from '../src/hub/transaction.ts';

describe('next', () => {
  it('orders by the slug date, then created, then name; filters with --match; claims with --claim', () => {
    // beta is drafted before alpha on the same date: created decides, not the name.
    const { hub } = plannedHub(3, ['2025-02-01-zeta-api', '2025-01-05-beta-ui', '2025-01-05-alpha-ui']);
    const [a] = agents(hub, 1);
    const shown = a!.cli(['next', '--json']);
    expect(shown.code).toBe(0);
    expect(shown.json.slug).toBe('2025-01-05-beta-ui');
    expect(shown.json.candidates).toEqual(['2025-01-05-beta-ui', '2025-01-05-alpha-ui', '2025-02-01-zeta-api']);
    expect(a!.cli(['next', '--match', '*-api', '--json']).json.candidates).toEqual(['2025-02-01-zeta-api']);
    const claimed = a!.cli(['next', '--match', '*-api', '--claim', '--json']);
    expect(claimed.code).toBe(0);
    expect(claimed.json.slug).toBe('2025-02-01-zeta-api');
    expect(claimed.json.claimed.branch).toBe('session/2025-02-01-zeta-api');
    expect(git(hub, 'log', '-1', '--format=%s', 'main').trim()).toBe('[2025-02-01-zeta-api] chore: claim session (planned -> active)');
    const none = a!.cli(['next', '--match', '*-api', '--claim', '--json']);
    expect(none.code).toBe(3);
    expect(none.json.error.code).toBe('none-left');
    expect(a!.cli(['next', '--match', '*-nothing']).code).toBe(1);
    expect(a!.cli(['next', '--agent-name', 'x']).code).toBe(2);
  });
});

describe('backoff', () => {
  it('stays within [0, cap], grows with the attempt and with a slow lost attempt, never above maxBackoffMs', () => {
    const retry = { maxAttempts: 40, backoffMs: 40, maxBackoffMs: 1500 };
    expect(backoffDelay(0, retry, () => 1)).toBe(40);
    expect(backoffDelay(3, retry, () => 1)).toBe(320);
    expect(backoffDelay(3, retry, () => 0)).toBe(0);
    expect(backoffDelay(30, retry, () => 1)).toBe(1500);
    expect(backoffDelay(0, retry, () => 1, 900)).toBe(900);
    expect(backoffDelay(1, retry, () => 1, 900)).toBe(1500);
  });
});
