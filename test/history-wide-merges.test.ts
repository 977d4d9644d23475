// Octopus merges against the walk's plan (walk-plan.ts, landed-parents.ts): a merge onto the
// guarded branch is judged against each landed parent but those that are ancestors of
// another, and that question cost (landed parents) x 5,000 steps per merge: 5,000 commits
// and 10 merges of 5,001 parents each (a 2 MB pack) kept the hub's pre-receive busy for
// a minute before it judged anything. The plan's ancestry now costs at most a budget
// proportional to the range's parent links; AGENT_SESSIONS_DEBUG=1 prints what it took.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pinnedHub, pusher, tip } from './helpers/hub.ts';
import { gitTry, makeRepo, type Repo } from './helpers/repo.ts';
import { cleanHistory } from './helpers/history.ts';

const DEBUG = { AGENT_SESSIONS_DEBUG: '1' };

/**
 * On `base`: a line of `length` [maint] commits, then `merges` merges, each of the previous
 * one (or the line's tip) and every commit of the line. Written by git fast-import (one
 * process). Returns the number of parent links of the range.
 */
function octopuses(repo: Repo, base: string, length: number, merges: number, ref = 'refs/heads/oct'): number {
  const out: string[] = [];
  const commit = (mark: number, message: string, parents: string[]) => {
    out.push(`commit ${ref}`, `mark :${mark}`, 'author P <p@example.test> 1735689600 +0000', 'committer P <p@example.test> 1735689600 +0000', `data ${message.length}`, message);
    out.push(`from ${parents[0]}`, ...parents.slice(1).map((p) => `merge ${p}`));
  };
  const line = Array.from({ length }, (_, i) => `:${i + 1}`);
  commit(1, '[maint] chore: c1', [base]);
  for (let i = 2; i <= length; i++) commit(i, `[maint] chore: c${i}`, [`:${i - 1}`]);
  let previous = `:${length}`;
  for (let k = 0; k < merges; k++) {
    commit(length + 1 + k, `[maint] chore: m${k}`, [previous, ...line.slice(0, -1)]);
    previous = `:${length + 1 + k}`;
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: repo.dir, input: `${out.join('\n')}\n` });
  return length + merges * length;
}

const ancestry = (stderr: string) => {
  const found = /ancestry (\{[^}]*\})/.exec(stderr)?.[1];
  expect(found, stderr).toBeDefined();
  return JSON.parse(found!) as { steps: number; cut: number };
};

describe('octopus merges onto the guarded branch', () => {
  // Before: 10 x 5,001 x 5,000 steps (about a minute of CPU); now a few per parent link. At
  // 2,000 commits the old cost (10 x 2,001 x 2,000 steps) is still 450x the bound asserted.
  it('cost check --range a walk back bounded by the range, with the same verdict', () => {
    const repo = makeRepo();
    cleanHistory(repo);
    const base = repo.git('rev-parse', 'HEAD').trim();
    const links = octopuses(repo, base, 2000, 10);
    const result = repo.cli(['check', '--range', `${base}..oct`, '--json'], { env: DEBUG });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.json.summary.commits).toBe(2010);
    const cost = ancestry(result.stderr);
    expect(cost.cut).toBe(0);
    expect(cost.steps).toBeLessThanOrEqual(4 * links);
  }, 120_000);

  it('cost the hub the same, and the push is judged and accepted', () => {
    const hub = pinnedHub();
    const repo = pusher(hub);
    const links = octopuses(repo, repo.git('rev-parse', 'HEAD').trim(), 1500, 4);
    const pushed = gitTry(repo.dir, ['push', '--no-verify', 'origin', 'oct:refs/heads/main'], DEBUG);
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(tip(hub)).toBe(repo.git('rev-parse', 'oct').trim());
    const cost = ancestry(pushed.stderr);
    expect(cost.cut).toBe(0);
    expect(cost.steps).toBeLessThanOrEqual(4 * links);
  }, 120_000);
});
