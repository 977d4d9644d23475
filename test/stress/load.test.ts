// Load: 32 agents x 4 rounds of `next --claim` -> 2 commits -> `complete`, all at once against
// one hub served over git:// by a real git daemon. Every session is completed exactly once,
// the lock file ends empty, and the hub's whole history passes `check --all`. No process may
// hang: every child has a timeout (a bound, not a timing assertion) and a timeout fails.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { newSession } from '../../src/commands/new.ts';
import { ready } from '../../src/commands/ready.ts';
import { startDaemon, type GitDaemon } from '../helpers/daemon.ts';
import { runCliAsync } from '../helpers/lifecycle.ts';
import { cloneAgent, git, makeHub, makeRepo, type Repo } from '../helpers/repo.ts';
import { checkHubHistory, hubState } from './fault-helpers.ts';

// The figure is 32 agents x 4 rounds: `LOAD_AGENTS=32 LOAD_ROUNDS=4 npm run test:stress`.
// On this 2-core machine that run takes ~10 minutes (every lost push rebuilds its commit, so
// the work grows with the square of the crowd), so CI runs 16 x 2 (~1.5 min) to stay in budget.
const AGENTS = Number(process.env.LOAD_AGENTS ?? 16);
const ROUNDS = Number(process.env.LOAD_ROUNDS ?? 2);
const PROCESS_BOUND = Number(process.env.LOAD_PROCESS_BOUND ?? 300_000);
const run = promisify(execFile);
let reruns = 0;

let daemon: GitDaemon | undefined;
afterAll(async () => {
  await daemon?.stop();
});

/** Plans `count` sessions in-process (hooks off: the planning commits are checked later by check --all). */
async function planHub(count: number): Promise<{ hub: string; slugs: string[] }> {
  const planner = makeRepo();
  const slugs = Array.from({ length: count }, (_, i) => `2025-12-${String((i % 28) + 1).padStart(2, '0')}-load-${i + 1}`);
  process.env.AGENT_SESSIONS = '0';
  try {
    for (const slug of slugs) {
      await newSession({ cwd: planner.dir, input: slug, criteria: ['it is done'] });
      await ready({ cwd: planner.dir, slug });
    }
  } finally {
    delete process.env.AGENT_SESSIONS;
  }
  return { hub: makeHub(planner), slugs };
}

async function commitIn(worktree: string, slug: string, part: number): Promise<void> {
  writeFileSync(join(worktree, `load-${slug}-${part}.txt`), `part ${part}\n`);
  await run('git', ['add', `load-${slug}-${part}.txt`], { cwd: worktree, timeout: PROCESS_BOUND });
  await run('git', ['commit', '-q', '-m', `[${slug}] feat: part ${part}`], { cwd: worktree, timeout: PROCESS_BOUND });
}

/** One agent's life: ROUNDS x (next --claim, two commits, complete). Returns what it completed. */
async function agentLife(agent: Repo): Promise<string[]> {
  const completed: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let next = await runCliAsync(agent.dir, ['next', '--claim', '--json'], { timeout: PROCESS_BOUND });
    for (let rerun = 0; rerun < 5 && next.code === 1 && next.json?.error?.code === 'too-many-attempts'; rerun++) {
      reruns++;
      next = await runCliAsync(agent.dir, ['next', '--claim', '--json'], { timeout: PROCESS_BOUND });
    }
    if (next.code !== 0) throw new Error(`next --claim exited ${next.code}: ${next.stderr}${next.stdout}`);
    const slug = next.json.slug as string;
    const worktree = next.json.claimed.path as string;
    await commitIn(worktree, slug, 1);
    await commitIn(worktree, slug, 2);
    // Under a 32-way crowd a complete can lose every one of its 40 attempts; it then exits 1
    // with code too-many-attempts and the fix "run the command again". Agents do; count it.
    let done = await runCliAsync(agent.dir, ['complete', slug, '--json'], { timeout: PROCESS_BOUND });
    for (let rerun = 0; rerun < 5 && done.code === 1 && done.json?.error?.code === 'too-many-attempts'; rerun++) {
      reruns++;
      done = await runCliAsync(agent.dir, ['complete', slug, '--json'], { timeout: PROCESS_BOUND });
    }
    if (done.code !== 0) throw new Error(`complete ${slug} exited ${done.code}: ${done.stderr}${done.stdout}`);
    completed.push(slug);
  }
  return completed;
}

describe('load', () => {
  it(`${AGENTS} agents x ${ROUNDS} rounds over git://: every session completed exactly once, history passes check --all`, async () => {
    const { hub, slugs } = await planHub(AGENTS * ROUNDS);
    daemon = await startDaemon(hub);
    const crowd = Array.from({ length: AGENTS }, (_, i) => {
      const agent = cloneAgent(hub, `load-${i + 1}`);
      agent.git('remote', 'set-url', 'origin', daemon!.url);
      return agent;
    });
    const lives = await Promise.allSettled(crowd.map(agentLife));
    const failures = lives.filter((l): l is PromiseRejectedResult => l.status === 'rejected').map((l) => String(l.reason));
    expect(failures, failures.join('\n')).toEqual([]);
    const completed = lives.flatMap((l) => (l.status === 'fulfilled' ? l.value : []));
    expect(completed).toHaveLength(slugs.length);
    expect(new Set(completed).size).toBe(slugs.length);

    const state = hubState(hub);
    expect(state.lock).toEqual([]);
    expect(state.active).toEqual([]);
    expect([...state.completed].sort()).toEqual([...slugs].sort());
    expect(state.branches).toEqual([]);
    // Exactly one completion commit per session: the one that added its archived SESSION.md.
    const added = git(hub, 'log', '--diff-filter=A', '--format=', '--name-only', 'main', '--', '_AGENTS/sessions/completed/')
      .split('\n')
      .filter((p) => p.endsWith('/SESSION.md'));
    expect(added).toHaveLength(slugs.length);

    const check = checkHubHistory(hub);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    console.log(`load: ${AGENTS} agents x ${ROUNDS} rounds = ${completed.length} sessions completed, none lost or duplicated (${reruns} reruns after too-many-attempts)`);
  }, Number(process.env.LOAD_TEST_BOUND ?? 900_000));
});
