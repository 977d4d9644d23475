// `check` and `check --all` without commander (the argv shapes of lean-args.ts's
// earlyCheckArgs): the same command, printed and exited as src/cli.ts's runVerb does. Built
// as ONE CommonJS file (dist/lean-check.cjs, scripts/build.mjs): the full CLI's commander
// program and some thirty ESM chunks were about 20 ms of a check's start (docs/BENCHMARKS.md),
// on top of what the check itself loads. test/check-early.test.ts compares the two paths.
import { command, prepareCheckProcess } from '../commands/check.ts';
import { noPromptUnlessInteractive } from '../remote.ts';
import { printError, printResult } from '../cli/output.ts';

export async function runLeanCheck(options: Record<string, string | boolean>): Promise<void> {
  // In the order of the full CLI: main(), then the check's loader.
  noPromptUnlessInteractive();
  prepareCheckProcess();
  const { json, ...rest } = options;
  const mode = { json: Boolean(json), verb: 'check' };
  let exitCode: number;
  try {
    exitCode = printResult(command, await command.run(rest as never), mode);
  } catch (err) {
    exitCode = printError(err, mode);
  }
  process.exitCode = exitCode;
}
