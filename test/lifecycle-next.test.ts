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
  it('waits no longer than the other open choices may last: one attempt length each, one at least', () => {
    const retry = { maxAttempts: 40, backoffMs: 40, maxBackoffMs: 6000 };
    expect(backoffDelay(5, retry, () => 1, 400)).toBe(6000);
    expect(backoffDelay(5, retry, () => 1, 400, 2)).toBe(800);
    expect(backoffDelay(5, retry, () => 1, 400, 0)).toBe(400);
    expect(backoffDelay(5, retry, () => 1, 10, 0)).toBe(40);
    expect(backoffDelay(1, retry, () => 1, 400, 7)).toBe(800);
    expect(backoffDelay(5, retry, () => 0.5, 400, 3)).toBe(600);
  });
});

describe("the push's own report confirms the win", () => {
  const commit = 'd3c1120aa8e2f1c9b7a6e5d4c3b2a1f0e9d8c7b6';
  const line = (flag: string, summary: string, ref = `${commit}:refs/heads/main`) => `To /hub.git\n${flag}\t${ref}\t${summary}\n*\t${commit}:refs/heads/session/x\t[new branch]\nDone\n`;
  it('accepts a fast-forward to our commit, a new branch and "up to date"; nothing else', async () => {
    const { hubReportsMain } = await import('../src/hub/push-shortcuts.ts');
    expect(hubReportsMain(line(' ', '87001b5..d3c1120'), commit, 'main')).toBe(true);
    expect(hubReportsMain(line('*', '[new branch]'), commit, 'main')).toBe(true);
    expect(hubReportsMain(line('=', '[up to date]'), commit, 'main')).toBe(true);
    // Another commit landed, a forced update, a refusal, another branch, or no line at all.
    expect(hubReportsMain(line(' ', '87001b5..aaaaaaa'), commit, 'main')).toBe(false);
    expect(hubReportsMain(line('+', '87001b5...d3c1120 (forced update)'), commit, 'main')).toBe(false);
    expect(hubReportsMain(line('!', '[rejected] (fetch first)'), commit, 'main')).toBe(false);
    expect(hubReportsMain(line(' ', '87001b5..d3c1120', `${commit}:refs/heads/master`), commit, 'main')).toBe(false);
    expect(hubReportsMain('Everything up-to-date\n', commit, 'main')).toBe(false);
  });
});
