#!/usr/bin/env node
// The bin (dist/cli.js). The argv shapes agents run in the claim race (lean-args.ts) go to
// dist/lean.cjs, everything else to the full CLI (src/cli.ts, commander). For the plain
// shapes of `check` the check's first git processes start before the full CLI loads
// (src/check/check-early.ts); what nobody took is killed when the command ends. With
// AGENT_SESSIONS_LEAN=0 (or without dist/lean.cjs, e.g. run from source) every call takes
// the full CLI and nothing starts early: the paths must answer alike (test/cli-lean.test.ts,
// test/check-early.test.ts).
import { createRequire } from 'node:module';
import { dropEarlyGit, earlyGitStats } from '../early-git.ts';
import { earlyCheckArgs, leanArgs } from './lean-args.ts';

async function leanRunner(): Promise<typeof import('./lean.ts') | undefined> {
  try {
    return createRequire(import.meta.url)('./lean.cjs') as typeof import('./lean.ts');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

const args = process.argv.slice(2);
const leanAllowed = process.env.AGENT_SESSIONS_LEAN !== '0';
const lean = leanAllowed ? leanArgs(args) : undefined;
const runner = lean ? await leanRunner() : undefined;
if (lean && runner) await runner.runLean(lean);
else {
  const check = leanAllowed ? earlyCheckArgs(args) : undefined;
  if (check) {
    // A process.exit() anywhere in the CLI still kills what waits (an unread pipe would keep git waiting).
    process.once('exit', dropEarlyGit);
    (await import('../check/check-early.ts')).startCheckEarly({ all: check.options.all === true, ...(typeof check.options.cwd === 'string' ? { cwd: check.options.cwd } : {}) });
  }
  try {
    await import('../cli.ts');
  } finally {
    if (process.env.AGENT_SESSIONS_DEBUG === '1' && earlyGitStats.started > 0) process.stderr.write(`agent-sessions[debug]: git started early ${JSON.stringify(earlyGitStats)}\n`);
    dropEarlyGit();
  }
}
