// Prints a command's result or error: text for people, one JSON document for agents.
import { describeError, exitCodeOf, type ExitCodeValue } from '../errors.ts';
import { redactCredentials } from '../remote.ts';
import { printable, printableText } from '../printable.ts';
import type { Command } from './command.ts';

// Every line and JSON document the CLI prints passes here: a hub URL with a password or
// token in it (`https://user:token@host`) is shown as `https://***@host`.
const out = (text: string) => process.stdout.write(redactCredentials(text));
const err = (text: string) => process.stderr.write(redactCredentials(text));

export interface OutputMode {
  json: boolean;
  verb: string;
}

export function printResult<O, R>(command: Command<O, R>, result: R, mode: OutputMode): number {
  const exitCode = command.exitCode?.(result) ?? 0;
  if (mode.json) {
    const doc = command.json ? command.json(result) : { ok: exitCode === 0, ...(result as object) };
    out(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    const text = command.text(result);
    // names in the text are repository data: no raw control character reaches the terminal
    if (text) out(`${printableText(text)}\n`);
  }
  return exitCode;
}

export function printError(error: unknown, mode: OutputMode): ExitCodeValue {
  const exitCode = exitCodeOf(error);
  const info = describeError(error);
  if (mode.json) {
    out(`${JSON.stringify({ ok: false, exitCode, error: info }, null, 2)}\n`);
  } else {
    err(`agent-sessions ${mode.verb}: ${printable(info.message, 2000)}\n`);
    if (info.fix) err(`  fix: ${printable(info.fix, 2000)}\n`);
  }
  if (process.env.AGENT_SESSIONS_DEBUG === '1' && error instanceof Error && error.stack) err(`${error.stack}\n`);
  return exitCode;
}

/** Runs `command` with argv's options (`json` taken out) and prints as above; the exit code. */
export async function runPrinted(command: Command<never, unknown>, verb: string, options: Record<string, string | boolean>): Promise<number> {
  const { json, ...rest } = options;
  const mode = { json: Boolean(json), verb };
  try {
    return printResult(command, await command.run(rest as never), mode);
  } catch (err) {
    return printError(err, mode);
  }
}
