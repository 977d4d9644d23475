// The lean path of `guard [--agent <name>] [--json]` (lean-args.ts): the same command, printed
// and exited as src/cli.ts's runVerb does, without commander. Built as ONE ES module
// (dist/lean-guard.js, scripts/build.mjs; ESM because the shell parser loads with a top-level
// await): every tool call of every agent starts it, and resolving the CLI's chunks and
// building the commander program was about a third of a guard call.
import { command } from '../commands/guard.ts';
import type { LeanArgs } from './lean-args.ts';
import { runPrinted } from './output.ts';

export async function runLeanGuard({ options }: LeanArgs): Promise<void> {
  process.exitCode = await runPrinted(command, 'guard', options);
}
