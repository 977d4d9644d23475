#!/usr/bin/env node
// The bin (dist/cli.js). The argv shapes agents run in the claim race (lean-args.ts) go to
// dist/lean.cjs, the guard's to dist/lean-guard.js; `check` and `check --all`
// (earlyCheckArgs) first start the check's first git processes (src/check/check-early.ts),
// then run from dist/lean-check.cjs; everything else
// goes to the full CLI (src/cli.ts, commander). What started early and was not taken is
// killed when the command ends. With AGENT_SESSIONS_LEAN=0 (or without the lean files, e.g.
// run from source) every call takes the full CLI and nothing starts early: the paths must
// answer alike (test/cli-lean.test.ts, test/check-early.test.ts).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dropEarlyGit, earlyGitStats } from '../early-git.ts';
import { earlyCheckArgs, leanArgs } from './lean-args.ts';

/** A lean bundle beside this file, or undefined when there is none (run from source). */
function leanBundle<T>(file: string): T | undefined {
  try {
    return createRequire(import.meta.url)(file) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

/**
 * The guard's lean bundle (an ES module: see lean-guard.ts), or undefined when there is none.
 * A bundle that is there but does not load (a corrupt or half-written file) leaves the call to
 * the full CLI, which judges it the same way (the guard fails closed either way; a stack trace
 * and exit 1 would let most agents run the call), with one line on stderr saying to reinstall.
 */
async function leanGuard(): Promise<typeof import('./lean-guard.ts') | undefined> {
  const file = './lean-guard.js'; // not a literal: the bundler must not take it in
  try {
    return (await import(file)) as typeof import('./lean-guard.ts');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    const reason = String(err instanceof Error ? `${err.name}: ${err.message}` : err).split('\n')[0];
    process.stderr.write(
      `agent-sessions guard: ${fileURLToPath(new URL(file, import.meta.url))} did not load (${reason}); the full CLI judges the call instead. fix: reinstall agent-sessions (\`npm ci\`)\n`,
    );
    if (process.env.AGENT_SESSIONS_DEBUG === '1' && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return undefined;
  }
}

const args = process.argv.slice(2);
const leanAllowed = process.env.AGENT_SESSIONS_LEAN !== '0';
const lean = leanAllowed ? leanArgs(args) : undefined;
const guardRunner = lean?.verb === 'guard' ? await leanGuard() : undefined;
const runner = lean && lean.verb !== 'guard' ? leanBundle<typeof import('./lean.ts')>('./lean.cjs') : undefined;
const check = leanAllowed && !lean ? earlyCheckArgs(args) : undefined;
if (lean && guardRunner) await guardRunner.runLeanGuard(lean);
else if (lean && runner) await runner.runLean(lean);
else if (check) {
  // A process.exit() anywhere still kills what waits (an unread pipe would keep git waiting).
  process.once('exit', dropEarlyGit);
  try {
    (await import('../check/check-early.ts')).startCheckEarly({ all: check.options.all === true, ...(typeof check.options.cwd === 'string' ? { cwd: check.options.cwd } : {}) });
    const checkRunner = leanBundle<typeof import('../check/lean-check.ts')>('./lean-check.cjs');
    if (checkRunner) await checkRunner.runLeanCheck(check.options);
    else await import('../cli.ts');
  } finally {
    if (process.env.AGENT_SESSIONS_DEBUG === '1' && earlyGitStats.started > 0) process.stderr.write(`agent-sessions[debug]: git started early ${JSON.stringify(earlyGitStats)}\n`);
    dropEarlyGit();
  }
} else await import('../cli.ts');
