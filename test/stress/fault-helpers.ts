// Helpers for the fault and load suites: start the CLI without blocking, wait for a fault
// marker (bounded by a deadline, never a timing assertion), kill -9 by PID, read the hub.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parseLockFile } from '../../src/lockfile.ts';
import { CLI, cloneAgent, git, gitTry, tempDir, type CliResult, type Repo } from '../helpers/repo.ts';

const S = '_AGENTS/sessions';

export interface Running {
  child: ChildProcess;
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

export function startCli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Resolves once `file` exists; fails if the process ends first or the bound passes. */
export async function waitForFile(file: string, run: Running, boundMs = 90_000): Promise<void> {
  let ended = false;
  void run.done.then(() => (ended = true));
  const deadline = Date.now() + boundMs;
  while (!existsSync(file)) {
    if (ended) {
      const r = await run.done;
      throw new Error(`the process ended (exit ${r.code}) before reaching its fault point: ${r.stderr}`);
    }
    if (Date.now() > deadline) {
      run.child.kill('SIGKILL');
      throw new Error(`fault point not reached within ${boundMs} ms (bound, not a timing assertion)`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Runs the CLI until it pauses at `point`, then kill -9 by its PID. */
export async function killAt(cwd: string, args: string[], point: string): Promise<void> {
  const marker = join(tempDir('as-fault-'), 'marker');
  const run = startCli(cwd, args, { AGENT_SESSIONS_FAULT: `${point}:pause`, AGENT_SESSIONS_FAULT_MARKER: marker });
  await waitForFile(marker, run);
  process.kill(run.child.pid!, 'SIGKILL');
  const result = await run.done;
  expect(result.signal).toBe('SIGKILL');
}

export interface HubState {
  main: string;
  lock: string[];
  active: string[];
  completed: string[];
  branches: string[];
}

function sessionsIn(hub: string, state: string): string[] {
  const out = gitTry(hub, ['ls-tree', '--name-only', `main:${S}/${state}`]).stdout ?? '';
  return out.split('\n').filter((n) => n && !n.startsWith('.'));
}

export function hubState(hub: string): HubState {
  const lockText = gitTry(hub, ['show', `main:${S}/sessions.lock`]).stdout ?? '';
  return {
    main: git(hub, 'rev-parse', 'main').trim(),
    lock: parseLockFile(lockText).map((e) => e.slug),
    active: sessionsIn(hub, 'active'),
    completed: sessionsIn(hub, 'completed'),
    branches: git(hub, 'for-each-ref', '--format=%(refname)', 'refs/heads/session/').split('\n').filter(Boolean),
  };
}

export function localTrace(agent: Repo, slug: string): { branch: boolean; worktree: boolean } {
  return {
    branch: gitTry(agent.dir, ['rev-parse', '-q', '--verify', `refs/heads/session/${slug}`]).status === 0,
    worktree: agent.git('worktree', 'list', '--porcelain').includes(`/.worktrees/${slug}\n`),
  };
}

/** complete must succeed (first run or a resumed one) and leave nothing behind. */
export function complete(agent: Repo, slug: string): void {
  const result = agent.cli(['complete', slug, '--json']);
  expect(result.code, result.stdout + result.stderr).toBe(0);
}

/** check --all on a fresh clone of the hub: the whole history follows the protocol. */
export function checkHubHistory(hub: string): CliResult {
  const reader = cloneAgent(hub, 'checker');
  return reader.cli(['check', '--all']);
}
