// The CLI for the argv shapes of lean-args.ts (`next`, `claim <slug>`): the same commands,
// printed and exited the same way as src/cli.ts's runVerb does, without commander. Built as
// ONE CommonJS file (dist/lean.cjs, scripts/build.mjs): an agent's claim opens one file
// instead of resolving some thirty ESM chunks, and loads nothing the claim does not run.
import { command as claimCommand } from '../commands/claim.ts';
import { command as nextCommand } from '../commands/next.ts';
import { noPromptUnlessInteractive } from '../remote.ts';
import type { Command } from './command.ts';
import type { LeanArgs } from './lean-args.ts';
import { runPrinted } from './output.ts';

const commands: Record<Exclude<LeanArgs['verb'], 'guard'>, Command<never, unknown>> = { next: nextCommand as never, claim: claimCommand as never };

export async function runLean({ verb, options }: LeanArgs): Promise<void> {
  noPromptUnlessInteractive();
  process.exitCode = await runPrinted(commands[verb as keyof typeof commands], verb, options);
}
