// Faults during claim and complete: kill -9 at every fault point (src/faults.ts), the hub's
// git daemon stopped mid-run, a push declined by the hub's pre-receive, a write that fails.
// After each: either the operation took effect or it left no trace, a rerun converges, and
// the hub's lock file lists every active session exactly once (nothing lost or duplicated).
import { rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_POINTS } from '../../src/faults.ts';
import { countCase, ledgerDir, readLedger } from '../helpers/case-ledger.ts';
import { securityDoc } from '../helpers/doc-figures.ts';
import { startDaemon } from '../helpers/daemon.ts';
import { plannedHub } from '../helpers/lifecycle.ts';
import { cloneAgent, git, gitTry, type Repo } from '../helpers/repo.ts';
import { checkHubHistory, complete, hubState, killAt, localTrace, startCli, waitForFile, type HubState } from './fault-helpers.ts';

const CLAIM_POINTS = FAULT_POINTS.filter((p) => p.startsWith('claim:'));
const COMPLETE_POINTS = FAULT_POINTS.filter((p) => p.startsWith('complete:'));
const SLUGS = Array.from({ length: 20 }, (_, i) => `2025-11-${String(i + 1).padStart(2, '0')}-fault-${i + 1}`);

let hub: string;
let next = 0;
const take = () => SLUGS[next++]!;

beforeAll(() => {
  hub = plannedHub(SLUGS.length, SLUGS).hub;
});

/** Counts a scenario for docs/SECURITY.md's figure once its test has passed (compared in afterAll below). */
const survived = (scenario: string) => countCase('fault scenarios', scenario);

// The fault figure of docs/SECURITY.md against the scenarios that ran and survived in THIS run,
// once every scenario of this file has finished (a failed one was never counted).
afterAll(() => {
  const scenarios = readLedger().filter((e) => e.category === 'fault scenarios').map((e) => e.name!);
  console.log(`fault scenarios tried and survived in this run: ${scenarios.length} (${scenarios.join(', ')})`);
  expect(scenarios.length, `no fault scenario recorded (ledger ${ledgerDir()})`).toBeGreaterThan(0);
  expect(scenarios).toEqual(expect.arrayContaining([...FAULT_POINTS]));
  expect(new Set(scenarios).size).toBe(scenarios.length);
  const stated = /\*\*(\d+)\*\* fault scenarios/.exec(securityDoc());
  expect(stated?.[1], `docs/SECURITY.md: write "**${scenarios.length}** fault scenarios"`).toBe(String(scenarios.length));
});

function expectConsistent(state: HubState): void {
  expect(new Set(state.lock).size, `duplicate lock lines: ${state.lock}`).toBe(state.lock.length);
  expect([...state.lock].sort()).toEqual([...state.active].sort());
}

/** Claim `slug` normally and make one session commit in its worktree. */
function claimAndWork(agent: Repo, slug: string): string {
  const claim = agent.cli(['claim', slug, '--json']);
  expect(claim.code, claim.stderr).toBe(0);
  const wt = claim.json.path as string;
  writeFileSync(join(wt, `${slug}.txt`), 'work\n');
  git(wt, 'add', `${slug}.txt`);
  expect(gitTry(wt, ['commit', '-q', '-m', `[${slug}] feat: the work`]).status).toBe(0);
  return wt;
}

/** After a claim that reached the hub but not the local checkout: the documented recovery. */
function recoverClaim(agent: Repo, slug: string): void {
  const rerun = agent.cli(['claim', slug, '--json']);
  if (rerun.code === 0) return;
  // Killed after the worktree was made: the rerun refuses to overwrite it, and it is usable.
  if (rerun.json?.error?.code === 'path-exists' && localTrace(agent, slug).worktree) return;
  // The hub holds it for us: rerun says so (exit 3 naming the holder), and the fix is a checkout.
  expect(rerun.code, rerun.stdout + rerun.stderr).toBe(3);
  expect(rerun.json?.error?.data?.holder?.name ?? '').toBe(agent.git('config', 'user.name').trim());
  gitTry(agent.dir, ['fetch', '-q', 'origin', `session/${slug}:session/${slug}`]);
  if (!localTrace(agent, slug).worktree) git(agent.dir, 'worktree', 'add', '-q', join(agent.dir, '.worktrees', slug), `session/${slug}`);
}

describe('kill -9 at every step of claim', () => {
  it.each(CLAIM_POINTS.map((p) => [p] as const))('%s: took effect or left no trace; rerun converges', async (point) => {
    const slug = take();
    const agent = cloneAgent(hub, `kill-${point.replace(/\W/g, '-')}`);
    const before = hubState(hub);
    await killAt(agent.dir, ['claim', slug], point);
    const after = hubState(hub);
    expectConsistent(after);
    if (point === 'claim:before-push') {
      expect(after.main).toBe(before.main);
      expect(localTrace(agent, slug)).toEqual({ branch: false, worktree: false });
    } else {
      expect(after.active).toContain(slug);
      expect(after.lock.filter((s) => s === slug)).toHaveLength(1);
    }
    recoverClaim(agent, slug);
    expect(localTrace(agent, slug).worktree).toBe(true);
    expectConsistent(hubState(hub));
    survived(point);
  });
});

describe('kill -9 at every step of complete', () => {
  it.each(COMPLETE_POINTS.map((p) => [p] as const))('%s: took effect or left no trace; rerun converges', async (point) => {
    const slug = take();
    const agent = cloneAgent(hub, `kill-${point.replace(/\W/g, '-')}`);
    claimAndWork(agent, slug);
    await killAt(agent.dir, ['complete', slug], point);
    const after = hubState(hub);
    expectConsistent(after);
    expect(after.active.includes(slug) !== after.completed.includes(slug)).toBe(true);
    complete(agent, slug);
    const done = hubState(hub);
    expectConsistent(done);
    expect(done.completed).toContain(slug);
    expect(localTrace(agent, slug)).toEqual({ branch: false, worktree: false });
    survived(point);
  });
});

describe('the hub goes away, declines, or a local write fails', () => {
  it('git daemon stopped mid-claim and mid-complete: clean failure, then a rerun converges', async () => {
    let daemon = await startDaemon(hub);
    const slug = take();
    const agent = cloneAgent(hub, 'daemon');
    agent.git('remote', 'set-url', 'origin', daemon.url);
    for (const [verb, point] of [['claim', 'claim:before-push'], ['complete', 'complete:before-push']] as const) {
      const before = hubState(hub);
      const marker = join(agent.dir, '..', `${verb}.marker`);
      const run = startCli(agent.dir, [verb, slug], { AGENT_SESSIONS_FAULT: `${point}:hold`, AGENT_SESSIONS_FAULT_MARKER: marker });
      await waitForFile(marker, run);
      await daemon.stop();
      writeFileSync(`${marker}.release`, '');
      const failed = await run.done;
      expect(failed.code, failed.stderr).not.toBe(0);
      expect(failed.stderr).not.toMatch(/^\s+at /m);
      expect(hubState(hub)).toEqual(before);
      if (verb === 'claim') expect(localTrace(agent, slug)).toEqual({ branch: false, worktree: false });
      daemon = await startDaemon(hub);
      agent.git('remote', 'set-url', 'origin', daemon.url);
      if (verb === 'claim') claimAndWork(agent, slug);
      else complete(agent, slug);
      expectConsistent(hubState(hub));
      survived(`${point} (hub unreachable)`);
    }
    expect(hubState(hub).completed).toContain(slug);
    await daemon.stop();
  });

  it("a push declined by the hub's pre-receive: nothing changes; once allowed, a rerun converges", () => {
    const slug = take();
    const agent = cloneAgent(hub, 'declined');
    const hook = join(hub, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "declined by the hub policy" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    try {
      const before = hubState(hub);
      const refused = agent.cli(['claim', slug]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/declined|rejected|refused/);
      expect(refused.stderr).not.toMatch(/^\s+at /m);
      expect(hubState(hub)).toEqual(before);
      expect(localTrace(agent, slug)).toEqual({ branch: false, worktree: false });
    } finally {
      rmSync(hook, { force: true });
    }
    claimAndWork(agent, slug);
    writeFileSync(hook, '#!/bin/sh\necho "declined by the hub policy" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    try {
      const before = hubState(hub);
      expect(agent.cli(['complete', slug]).code).not.toBe(0);
      expect(hubState(hub)).toEqual(before);
      expect(localTrace(agent, slug)).toEqual({ branch: true, worktree: true });
    } finally {
      rmSync(hook, { force: true });
    }
    complete(agent, slug);
    survived('push declined (claim)');
    survived('push declined (complete)');
  });

  it('a write that fails (the worktrees folder cannot be created): the claim is on the hub, recovery converges', () => {
    const slug = take();
    const agent = cloneAgent(hub, 'unwritable');
    // A file where the folder should be fails for root too (mode bits would not).
    writeFileSync(join(agent.dir, '.worktrees'), 'not a folder\n');
    const result = agent.cli(['claim', slug]);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toMatch(/could not create/);
    expect(result.stderr).toMatch(/fix: /);
    expectConsistent(hubState(hub));
    rmSync(join(agent.dir, '.worktrees'));
    recoverClaim(agent, slug);
    complete(agent, slug);
    survived('failed write (claim checkout)');
  });

  it("the hub's whole history still passes check --all", () => {
    const result = checkHubHistory(hub);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });
});
