#!/usr/bin/env node
// The bin (dist/cli.js). The argv shapes agents run in the claim race (lean-args.ts) go to
// dist/lean.cjs, everything else to the full CLI (src/cli.ts, commander). With
// AGENT_SESSIONS_LEAN=0 (or without dist/lean.cjs, e.g. run from source) every call takes
// the full CLI: the two must answer alike (test/cli-lean.test.ts).
import { createRequire } from 'node:module';
import { leanArgs } from './lean-args.ts';

async function leanRunner(): Promise<typeof import('./lean.ts') | undefined> {
  try {
    return createRequire(import.meta.url)('./lean.cjs') as typeof import('./lean.ts');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

const lean = process.env.AGENT_SESSIONS_LEAN === '0' ? undefined : leanArgs(process.argv.slice(2));
const runner = lean ? await leanRunner() : undefined;
if (lean && runner) await runner.runLean(lean);
else await import('../cli.ts');
